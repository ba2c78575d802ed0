// Building a payload on a Docker engine, as the lava framework's `docker buildx build` does,
// with its platform checks made explicit.
#pragma once

#include "builder/build_request.h"
#include "docker/docker_client.h"
#include "project/project.h"

namespace lava::builder {

// Builds `payload` for every configured platform unless its inputs are unchanged since the
// last build and its images are still in the engine. Tags move and dist/ changes only
// after every platform built and verified; a failure leaves both as they were.
BuildOutcome build_with_docker(docker::DockerClient& docker, const project::Project& project,
                               const project::Payload& payload, const BuildRequest& request,
                               const BuildReporter& reporter);

// The local tag of a payload's image for one platform: "<image>:latest" when the config
// builds one platform, "<image>:latest-<suffix>" when it builds several.
std::string local_tag(const project::Project& project, const project::Payload& payload,
                      const project::Platform& platform);

}  // namespace lava::builder
