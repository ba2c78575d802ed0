// Options shared by the commands that build (build, install).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "builder/build_request.h"
#include "project/project.h"

namespace lava::cli {

struct BuildOptions {
  std::string env;
  std::string engine = "auto";
  std::string platform;
  std::string network;
  std::vector<std::string> build_args;
  std::vector<std::string> payloads;
  bool force = false;
  bool pull = false;
  bool quiet = false;
  std::string progress = "auto";  // --progress
};

// How build progress is shown: a rewritten status line (tty), every line (plain), or
// nothing but the summary (quiet).
enum class ProgressMode { kQuiet, kPlain, kTty };

// --progress, with -q/--quiet and --json meaning quiet, and auto choosing tty when stderr
// is a terminal.
ProgressMode progress_mode(const BuildOptions& o, bool json);

// Adds --env, --engine, --platform, --network, --build-arg, --force, --pull, --quiet,
// --progress and the payload names.
void add_build_options(CLI::App* sub, BuildOptions& o);

// Opens the project; its notices are printed unless `mode` is quiet.
project::Project open_for_build(const std::filesystem::path& dir, const BuildOptions& o,
                                ProgressMode mode);
// The fallback Dockerfile's notice and warning (project.dockerfile_notices/_warnings), once,
// when one of `selected` has no Dockerfile of its own; --quiet keeps the warning only.
void print_fallback_dockerfile_notes(const project::Project& project,
                                     const std::vector<project::Payload>& selected, bool quiet);
builder::BuildRequest make_build_request(const BuildOptions& o);
// Build output: one rewritten status line per step (tty), every line (plain), or none.
builder::BuildReporter make_build_reporter(ProgressMode mode);
// Clears a status line left by a tty reporter.
void end_status_line(ProgressMode mode);

}  // namespace lava::cli
