// Which local image a run starts, and for which platform (`run --platform`).
#pragma once

#include <string>
#include <vector>

#include "project/project.h"

namespace lava::run {

struct RunImage {
  std::string ref;       // "<image>:latest" or "<image>:latest-<suffix>"
  std::string platform;  // "linux/arm64" when --platform chose one; empty: the engine's default
};

// Without `platform_option`: default_run_image (the host's platform). With one
// ("linux/arm64"): that platform's image, which must be among the configured platforms
// (docker.platform), else a lava::UsageError naming them; the engine runs it under
// emulation (QEMU through binfmt) when the host is another architecture.
RunImage choose_run_image(const project::Project& project, const project::Payload& payload,
                          const std::string& platform_option, std::vector<std::string>& notices);

}  // namespace lava::run
