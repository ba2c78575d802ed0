// `lava-docker build`: build every payload (or the named ones) for the configured platforms.
#include <chrono>
#include <cstdio>

#include "builder/payload_builder.h"
#include "cli/build_options.h"
#include "cli/command.h"

namespace lava::cli {

void add_build_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("build", "Build docker payload images");
  auto o = std::make_shared<BuildOptions>();
  add_build_options(sub, *o);
  set_body(sub, [&global, o]() {
    auto project = open_for_build(global.project_dir, *o);
    auto selected = project::select_payloads(project.payloads, o->payloads);
    print_fallback_dockerfile_notes(project, selected, o->quiet);
    builder::PayloadBuilder builder(o->engine, make_build_request(*o),
                                    make_build_reporter(o->quiet));
    for (const auto& payload : selected) {
      auto start = std::chrono::steady_clock::now();
      builder::BuildOutcome outcome;
      try {
        outcome = builder.build(project, payload);
      } catch (...) {
        end_status_line(o->quiet);
        throw;
      }
      end_status_line(o->quiet);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (const auto& s : outcome.summary)
        std::printf("%s\t%s\t%s (%.1fs)\n", payload.name.c_str(),
                    outcome.rebuilt ? "built" : "up-to-date", s.c_str(), secs);
      std::fflush(stdout);
    }
    return 0;
  });
}

}  // namespace lava::cli
