// `lava-docker list`: the project's docker payloads for one environment.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/output.h"
#include "project/project.h"

namespace lava::cli {

void add_list_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("list", "List the docker payloads: name, image, platforms");
  auto env = std::make_shared<std::string>();
  auto platform = std::make_shared<std::string>();
  sub->add_option("--env", *env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("--platform", *platform, "Override docker.platform");
  sub->add_flag("--json", global.json, "Print JSON");
  set_body(sub, [&global, env, platform]() {
    auto project = project::open_project(
        global.project_dir, *env,
        platform->empty() ? std::nullopt : std::optional<std::string>(*platform));
    for (const auto& n : project.config.notices) print_notice(n);
    std::string platforms;
    nlohmann::json plats = nlohmann::json::array();
    for (const auto& p : project.config.platforms.platforms) {
      platforms += (platforms.empty() ? "" : ",") + p.str();
      plats.push_back(p.str());
    }
    if (global.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : project.payloads)
        out.push_back({{"name", p.name}, {"image", p.image}, {"platforms", plats}});
      std::printf("%s\n", out.dump(2).c_str());
      return 0;
    }
    for (const auto& p : project.payloads)
      std::printf("%s\t%s\t%s\n", p.name.c_str(), p.image.c_str(), platforms.c_str());
    return 0;
  });
}

}  // namespace lava::cli
