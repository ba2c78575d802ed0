#include "project/project.h"

#include "project/framework_files.h"
#include "util/file_io.h"

namespace lava::project {

Project open_project(const std::filesystem::path& root, const std::string& env,
                     const std::optional<std::string>& platform_override) {
  Project p;
  p.root = root;
  p.config = load_config(root, env, platform_override);
  p.dist = dist_layout(root, env);
  p.payloads = discover_payloads(root, p.config.docker_repo);
  p.fallback_dockerfile = root / "etc" / "Dockerfile";
  classify_fallback_dockerfile(p);
  return p;
}

void classify_fallback_dockerfile(Project& p) {
  p.stock_fallback_replaced = false;
  p.dockerfile_notices.clear();
  p.dockerfile_warnings.clear();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p.fallback_dockerfile, ec)) return;
  const std::string text = read_file(p.fallback_dockerfile);
  if (is_stock_framework_dockerfile(text) && !p.config.stock_dockerfile_as_is) {
    p.stock_fallback_replaced = true;
    p.dockerfile_notices.push_back(
        p.fallback_shown +
        " is the lava framework's stock Dockerfile: payloads without their own Dockerfile build "
        "with lava-docker's built-in default instead (natively where --engine allows, "
        "PIP_INDEX_URL kept out of the image, requirements-nodeps.txt installed without "
        "dependencies); set docker.dockerfile: stock to build the file as it is");
    return;
  }
  if (dockerfile_env_sets_pip_index_url(text))
    p.dockerfile_warnings.push_back(
        p.fallback_shown +
        " sets PIP_INDEX_URL in ENV, so the index URL (and any credentials in it) stays in "
        "the image; declare it with ARG only");
}

}  // namespace lava::project
