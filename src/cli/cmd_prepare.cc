// `lava-docker prepare`: make each payload's build context in dist/ without building, so a
// user can see exactly what an engine would receive (rendered env/, converted notebooks,
// the rendered Dockerfile).
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/build_options.h"
#include "cli/command.h"
#include "cli/dist_guard.h"
#include "cli/output.h"
#include "context/build_context.h"
#include "project/project.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::cli {

namespace fs = std::filesystem;

void add_prepare_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand(
      "prepare", "Write each payload's build context to dist/ENV/lava-payloads/NAME.context/");
  auto env = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("--env", *env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payloads", *names, "Payloads to prepare (default: all)");
  sub->add_flag("--json", global.json, "Print one JSON document naming each payload's context");
  set_body(sub, [&global, env, names]() {
    auto project = project::open_project(global.project_dir, *env);
    for (const auto& n : project.config.notices) print_notice(n);
    auto selected = project::select_payloads(project.payloads, *names);
    print_fallback_dockerfile_notes(project, selected, false);
    nlohmann::ordered_json payloads = nlohmann::ordered_json::array();
    auto lock = guard_dist(project);
    for (const auto& payload : selected) {
      fs::path final_dir = project.dist.payloads_dir() / (payload.name + ".context");
      fs::path tmp = final_dir;
      tmp += ".tmp-" + std::to_string(::getpid());
      fs::create_directories(project.dist.payloads_dir());
      fs::remove_all(tmp);
      try {
        auto ctx = context::prepare_context(project, payload, tmp);
        for (const auto& w : ctx.warnings) print_warning(w);
        replace_directory(tmp, final_dir);  // the old context is left at tmp
        fs::remove_all(tmp);
        const std::string shown = fs::relative(final_dir, project.root).string();
        if (global.json)
          payloads.push_back({{"payload", payload.name},
                              {"reference", payload.image + ":latest"},
                              {"context", shown},
                              {"dockerfile", ctx.dockerfile_shown}});
        else
          std::printf("%s\t%s\t%s\n", payload.name.c_str(), shown.c_str(),
                      ctx.dockerfile_shown.c_str());
      } catch (...) {
        fs::remove_all(tmp);
        throw;
      }
    }
    if (global.json) {
      nlohmann::ordered_json doc{{"command", "prepare"}, {"env", *env}, {"payloads", payloads}};
      std::printf("%s\n", doc.dump(2).c_str());
    }
    return 0;
  });
}

}  // namespace lava::cli
