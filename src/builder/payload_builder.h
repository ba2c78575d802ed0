// The one way a command builds payloads: each with the engine `--engine` picks for it
// (builder/engine_choice.h), the Docker client made on first use, and a payload's OCI
// layout in dist/ made to exist (native builds write it; Docker-built images are exported).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "builder/build_request.h"
#include "docker/docker_client.h"
#include "project/project.h"

namespace lava::builder {

class PayloadBuilder {
 public:
  // `engine`: "auto", "docker" or "native".
  PayloadBuilder(std::string engine, BuildRequest request, BuildReporter reporter);

  BuildOutcome build(const project::Project& project, const project::Payload& payload);

  // dist/<env>/lava-payloads/<name>.oci for a payload built before (by build()).
  std::filesystem::path ensure_layout(const project::Project& project,
                                      const project::Payload& payload);

  docker::DockerClient& docker();

 private:
  std::string engine_;
  BuildRequest request_;
  BuildReporter reporter_;
  std::optional<docker::DockerClient> docker_;
};

}  // namespace lava::builder
