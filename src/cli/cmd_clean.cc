// `lava-docker clean`: remove the project's build outputs and local payload images.
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "builder/build_state.h"
#include "builder/requirements_step.h"
#include "cli/command.h"
#include "cli/dist_guard.h"
#include "cli/output.h"
#include "docker/docker_client.h"
#include "project/project.h"
#include "util/error.h"

namespace lava::cli {

namespace fs = std::filesystem;

void add_clean_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand("clean", "Remove dist outputs and local images of the payloads");
  auto env = std::make_shared<std::string>();
  auto names = std::make_shared<std::vector<std::string>>();
  sub->add_option("--env", *env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payloads", *names, "Payloads to clean (default: all)");
  sub->add_flag("--json", global.json, "Print one JSON document of what was removed");
  set_body(sub, [&global, env, names]() {
    auto project = project::open_project(global.project_dir, *env);
    auto selected = project::select_payloads(project.payloads, *names);
    // Under the lock, so a running build keeps its files; the sweep removes the litter
    // of runs that died.
    auto lock = guard_dist(project);
    std::optional<docker::DockerClient> docker;
    // No engine is not a failure: dist/ is what clean owns; local tags cannot exist
    // where no engine runs (or are another engine's), so they are left with a notice.
    bool engine_ok = true;
    try {
      docker.emplace();
    } catch (const Error& e) {
      engine_ok = false;
      print_notice(std::string("local images not removed: ") + e.what());
    }
    nlohmann::ordered_json payloads = nlohmann::ordered_json::array();
    for (const auto& payload : selected) {
      int removed = 0;
      if (engine_ok) {
        try {
          // Only this payload's own tags: "<image>:latest" and "<image>:latest-<platform>".
          for (const auto& img : docker->list_images(payload.image)) {
            for (const auto& tag : img.repo_tags) {
              if (tag == payload.image + ":latest" ||
                  tag.rfind(payload.image + ":latest-", 0) == 0) {
                if (docker->remove_image(tag)) ++removed;
              }
            }
          }
        } catch (const Error& e) {
          engine_ok = false;
          print_notice(std::string("local images not removed: ") + e.what());
        }
      }
      int files = 0;
      for (const fs::path& p :
           {project.dist.image_id_file(payload.name), project.dist.state_dir(payload.name),
            project.dist.oci_layout(payload.name),
            project.dist.payloads_dir() / (payload.name + ".context")}) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(p, ec))) {
          if (fs::remove_all(p, ec) == static_cast<std::uintmax_t>(-1) || ec)
            throw Error(p.string() + ": cannot remove: " + ec.message());
          ++files;
        }
      }
      if (global.json) {
        payloads.push_back({{"payload", payload.name},
                            {"reference", payload.image + ":latest"},
                            {"image_tags_removed", removed},
                            {"dist_outputs_removed", files}});
      } else {
        std::printf("%s\tremoved %d image tag(s), %d dist output(s)\n", payload.name.c_str(),
                    removed, files);
      }
    }
    // What killed Docker-engine builds of any project left in the engine (their owner on
    // this machine is gone): a step container may still hold the index URL in its volume.
    int abandoned = 0;
    if (engine_ok) {
      try {
        abandoned = builder::sweep_abandoned_requirements_steps(*docker);
      } catch (const Error& e) {
        print_notice(std::string("abandoned requirements steps not removed: ") + e.what());
      }
    }
    if (!global.json && abandoned > 0)
      std::printf("removed %d abandoned requirements-step container(s) and image(s)\n", abandoned);
    if (global.json) {
      nlohmann::ordered_json doc{{"command", "clean"},
                                 {"env", *env},
                                 {"engine_reachable", engine_ok},
                                 {"payloads", payloads},
                                 {"abandoned_steps_removed", abandoned}};
      std::printf("%s\n", doc.dump(2).c_str());
    }
    return 0;
  });
}

}  // namespace lava::cli
