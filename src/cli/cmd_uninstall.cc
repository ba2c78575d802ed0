// `lava-docker uninstall`: ECR: DeleteRepository with force; a plain registry: delete the
// manifests the repository's tags point at. A payload already gone is a notice.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "builder/install.h"
#include "cli/command.h"
#include "cli/output.h"
#include "project/project.h"

namespace lava::cli {

void add_uninstall_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("uninstall", "Delete payload images from the registry");
  auto env = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("--env", *env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payloads", *names, "Payloads to uninstall (default: all)");
  sub->add_flag("--json", global.json, "Print JSON");
  set_body(sub, [&global, env, names]() {
    auto project = project::open_project(global.project_dir, *env);
    for (const auto& n : project.config.notices) print_notice(n);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& payload : project::select_payloads(project.payloads, *names)) {
      auto result = publish::unpublish(builder::publish_target(project.config, payload.name));
      if (global.json) {
        out.push_back({{"payload", payload.name},
                       {"existed", result.existed},
                       {"manifests_deleted", result.manifests_deleted},
                       {"message", result.message}});
      } else if (!result.existed) {
        print_notice(payload.name + ": " + result.message);
      } else {
        std::printf("%s: %s\n", payload.name.c_str(), result.message.c_str());
      }
    }
    if (global.json) std::printf("%s\n", out.dump(2).c_str());
    return 0;
  });
}

}  // namespace lava::cli
