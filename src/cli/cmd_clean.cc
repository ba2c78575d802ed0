// `lava-docker clean`: remove the project's build outputs and local payload images.
#include <cstdio>

#include "builder/build_state.h"
#include "cli/command.h"
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
  set_body(sub, [&global, env, names]() {
    auto project = project::open_project(global.project_dir, *env);
    auto selected = project::select_payloads(project.payloads, *names);
    std::optional<docker::DockerClient> docker;
    docker.emplace();
    bool engine_ok = true;
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
        if (fs::exists(fs::symlink_status(p, ec))) files += fs::remove_all(p, ec) > 0 ? 1 : 0;
      }
      std::printf("%s\tremoved %d image tag(s), %d dist output(s)\n", payload.name.c_str(), removed,
                  files);
    }
    return engine_ok ? 0 : 1;
  });
}

}  // namespace lava::cli
