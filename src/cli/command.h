// The pieces every subcommand shares: global options and how commands join the app.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>

namespace lava::cli {

struct GlobalOptions {
  std::filesystem::path project_dir = ".";  // -C DIR
  bool json = false;                        // --json where a command supports it
};

// A subcommand's body runs after parsing; its return value is the exit status.
using CommandBody = std::function<int()>;

// Registers `body` to run when `sub` is the chosen subcommand.
void set_body(CLI::App* sub, CommandBody body);

// Each command file defines one of these; main.cc calls them all.
void add_list_command(CLI::App& app, GlobalOptions& global);
void add_migrate_command(CLI::App& app, GlobalOptions& global);
void add_nb2py_command(CLI::App& app, GlobalOptions& global);
void add_run_command(CLI::App& app, GlobalOptions& global);
void add_render_command(CLI::App& app, GlobalOptions& global);
void add_prepare_command(CLI::App& app, GlobalOptions& global);
void add_build_command(CLI::App& app, GlobalOptions& global);
void add_clean_command(CLI::App& app, GlobalOptions& global);
void add_install_command(CLI::App& app, GlobalOptions& global);
void add_uninstall_command(CLI::App& app, GlobalOptions& global);

}  // namespace lava::cli
