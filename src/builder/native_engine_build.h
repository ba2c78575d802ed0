// Building a payload with the native (daemonless) engine, with the same up-to-date rules,
// dist/ state and output as a Docker-engine build.
#pragma once

#include <filesystem>

#include "builder/build_request.h"
#include "project/project.h"

namespace lava::builder {

// Builds `payload` for every configured platform into dist/<env>/lava-payloads/<name>.oci
// unless its inputs are unchanged since the last native build and that layout still holds
// the recorded index. `<name>.dockerimg` then holds the index digest. `cache_dir` empty:
// the per-user default. dist/ changes only when every platform has built.
BuildOutcome build_with_native(const project::Project& project, const project::Payload& payload,
                               const BuildRequest& request, const BuildReporter& reporter,
                               const std::filesystem::path& cache_dir = {});

}  // namespace lava::builder
