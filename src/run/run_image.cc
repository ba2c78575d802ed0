#include "run/run_image.h"

#include "project/platform.h"
#include "run/run_plan.h"
#include "util/error.h"

namespace lava::run {

RunImage choose_run_image(const project::Project& project, const project::Payload& payload,
                          const std::string& platform_option, std::vector<std::string>& notices) {
  if (platform_option.empty()) return {default_run_image(project, payload, notices), ""};
  auto wanted = project::parse_platforms(platform_option, "--platform");
  for (const auto& n : wanted.notices) notices.push_back(n);
  if (wanted.platforms.size() != 1)
    throw UsageError("--platform " + platform_option + ": give one platform");
  project::Platform want = wanted.platforms.front();
  if (want.is_host()) want = project::host_platform();
  const auto& configured = project.config.platforms.platforms;
  std::string names;
  for (const auto& c : configured) {
    project::Platform p = c.is_host() ? project::host_platform() : c;
    names += (names.empty() ? "" : ", ") + p.str();
    if (p.architecture != want.architecture) continue;
    std::string ref =
        payload.image + (configured.size() <= 1 ? ":latest" : ":latest-" + c.suffix());
    return {ref, p.str()};
  }
  throw UsageError("--platform " + platform_option + ": payload " + payload.name +
                   " is built for " + names + " only (docker.platform in " +
                   project.config.file.string() + ")");
}

}  // namespace lava::run
