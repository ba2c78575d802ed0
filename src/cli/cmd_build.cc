// `lava-docker build`: build every payload (or the named ones) for the configured platforms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "builder/build_state.h"
#include "builder/engine_choice.h"
#include "builder/payload_builder.h"
#include "cli/build_options.h"
#include "cli/build_summary.h"
#include "cli/command.h"
#include "cli/dist_guard.h"
#include "cli/output.h"
#include "util/error.h"

namespace lava::cli {

namespace {

// The payloads of `selected` that --engine puts on the Docker engine, by name.
std::vector<std::string> docker_payloads(const project::Project& project,
                                         const std::vector<project::Payload>& selected,
                                         const BuildOptions& o) {
  std::vector<std::string> names;
  for (const auto& p : selected)
    if (builder::choose_engine(o.engine, project, p) == builder::EngineKind::kDocker)
      names.push_back(p.name);
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void add_build_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("build", "Build docker payload images");
  auto o = std::make_shared<BuildOptions>();
  add_build_options(sub, *o);
  sub->add_flag("--json", global.json,
                "Print one JSON document with each payload's image reference and digests");
  set_body(sub, [&global, o]() {
    const ProgressMode mode = progress_mode(*o, global.json);
    auto project = open_for_build(global.project_dir, *o, mode);
    auto selected = project::select_payloads(project.payloads, o->payloads);
    auto lock = guard_dist(project);
    print_fallback_dockerfile_notes(project, selected, mode == ProgressMode::kQuiet);
    builder::PayloadBuilder builder(o->engine, make_build_request(*o), make_build_reporter(mode));

    // Without a reachable engine the payloads that need it are named now, and the native
    // ones still build; the exit status says not everything was built.
    std::vector<std::string> skipped;
    if (auto needs_engine = docker_payloads(project, selected, *o); !needs_engine.empty()) {
      try {
        builder.docker().api_version();
      } catch (const Error& e) {
        skipped = needs_engine;
        print_error(joined(skipped) + (skipped.size() == 1 ? " needs" : " need") +
                    " the Docker engine and will not be built: " + e.what());
      }
    }

    nlohmann::ordered_json payloads = nlohmann::ordered_json::array();
    for (const auto& payload : selected) {
      if (std::find(skipped.begin(), skipped.end(), payload.name) != skipped.end()) {
        payloads.push_back({{"payload", payload.name},
                            {"status", "not-built"},
                            {"error", "the Docker engine is not reachable"}});
        continue;
      }
      auto start = std::chrono::steady_clock::now();
      builder::BuildOutcome outcome;
      try {
        outcome = builder.build(project, payload);
      } catch (...) {
        end_status_line(mode);
        throw;
      }
      end_status_line(mode);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto state = builder::read_build_state(project.dist, payload.name);
      if (!state) throw Error(payload.name + ": no build state after building");
      if (global.json) {
        payloads.push_back(build_summary_json(project, payload, *state, outcome.rebuilt, secs));
      } else {
        std::printf("%s\n", build_summary_line(payload, *state, outcome.rebuilt, secs).c_str());
        std::fflush(stdout);
      }
    }
    if (global.json) {
      nlohmann::ordered_json doc{{"command", "build"}, {"env", o->env}, {"payloads", payloads}};
      std::printf("%s\n", doc.dump(2).c_str());
    }
    return skipped.empty() ? 0 : 1;
  });
}

}  // namespace lava::cli
