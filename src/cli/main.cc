// lava-docker entry point: parses arguments, runs one subcommand, and is the only
// place that turns an exception into a line on stderr and an exit status. It also owns
// start-up tuning: which shared libraries to start loading in the background.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <string_view>

#include "cli/command.h"
#include "cli/framework_dropin.h"
#include "cli/output.h"
#include "cli/parse_errors.h"
#include "http/libcurl.h"
#include "util/background_start.h"
#include "util/cancellation.h"
#include "util/error.h"
#include "util/libarchive.h"
#include "version.h"

namespace lava::cli {

namespace {
std::map<const CLI::App*, CommandBody>& bodies() {
  static std::map<const CLI::App*, CommandBody> b;
  return b;
}
}  // namespace

void set_body(CLI::App* sub, CommandBody body) {
  bodies()[sub] = std::move(body);
}

int run_main(int argc, char** argv) {
  // Called as the lava framework's bin/lava-docker (a symlink in a framework project).
  if (is_framework_dropin_call(argc, argv)) return run_framework_dropin(argc, argv);
  // Load what a command will need while it parses arguments and reads the project: libcurl
  // for the commands that always talk to a registry or the Docker engine (`build` decides
  // per payload, once it knows whether the caches answer for the base image:
  // build/native_engine_build.cc), libarchive for those that write or read tars. An
  // argument that only looks like a command's name costs a background load, nothing else.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "install" || arg == "uninstall" || arg == "run") http::preload_libcurl();
    if (arg == "build" || arg == "install" || arg == "run") preload_libarchive();
  }
  CLI::App app{"lava-docker: build, install, uninstall and run lava job framework docker payloads"};
  app.name("lava-docker");
  app.set_version_flag("--version", std::string("lava-docker ") + LAVA_DOCKER_VERSION);
  app.require_subcommand(1);
  use_one_line_errors(app);
  GlobalOptions global;
  app.add_option("-C,--directory", global.project_dir, "Project root (default: current directory)")
      ->option_text("DIR");

  add_list_command(app, global);
  add_migrate_command(app, global);
  add_nb2py_command(app, global);
  add_run_command(app, global);
  add_render_command(app, global);
  add_prepare_command(app, global);
  add_build_command(app, global);
  add_clean_command(app, global);
  add_install_command(app, global);
  add_uninstall_command(app, global);
  one_value_per_occurrence(app);

  // Bare `lava-docker`: the usage, as docker and git give it.
  if (argc <= 1) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version are printed and succeed; an error is our one line (the hook set by
    // use_one_line_errors) and a usage status.
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(global.project_dir, ec))
    throw UsageError("-C " + global.project_dir.string() +
                     (std::filesystem::exists(global.project_dir, ec) ? ": not a directory"
                                                                      : ": no such directory"));
  for (const CLI::App* sub : app.get_subcommands()) {
    auto it = bodies().find(sub);
    if (it != bodies().end()) return it->second();
  }
  print_error("no command given; see lava-docker --help");
  return 2;
}

}  // namespace lava::cli

namespace {

int run_guarded(int argc, char** argv) {
  try {
    return lava::cli::run_main(argc, argv);
  } catch (const std::exception&) {
    // Whatever an interrupted step threw on its way out (often re-wrapped), the signal
    // decides the message and the status.
    if (int signo = lava::cancel_signal(); signo != 0) {
      lava::Cancelled c(signo);
      lava::cli::print_error(c.what());
      return c.exit_code();
    }
    try {
      throw;
    } catch (const lava::Error& e) {
      lava::cli::print_error(e.what());
      return e.exit_code();
    } catch (const std::exception& e2) {
      lava::cli::print_error(std::string("internal error: ") + e2.what());
      return 1;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int code = run_guarded(argc, argv);
  // A library still loading on a background thread (preloaded for a step the command did
  // not need in the end) must neither be waited for nor torn down by exit handlers under
  // it: flush what was written and leave without them.
  if (!lava::background_starts_done()) {
    std::fflush(nullptr);
    std::_Exit(code);
  }
  lava::finish_background_starts();
  return code;
}
