#include "project/project.h"

namespace lava::project {

Project open_project(const std::filesystem::path& root, const std::string& env,
                     const std::optional<std::string>& platform_override) {
  Project p;
  p.root = root;
  p.config = load_config(root, env, platform_override);
  p.dist = dist_layout(root, env);
  p.payloads = discover_payloads(root, p.config.docker_repo);
  return p;
}

}  // namespace lava::project
