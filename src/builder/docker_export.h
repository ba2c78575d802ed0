// Turning a payload's Docker-engine images into the OCI layout install pushes from.
#pragma once

#include <string>

#include "builder/build_state.h"
#include "docker/docker_client.h"
#include "project/project.h"

namespace lava::builder {

// Writes dist/<env>/lava-payloads/<name>.oci from the images `state` records (one manifest,
// or an index over the platforms), unless it already holds exactly those images. Layers
// are compressed once ever (cached by diff_id). Returns the root digest ("sha256:...").
std::string export_docker_images(docker::DockerClient& docker, const project::Project& project,
                                 const project::Payload& payload, const BuildState& state);

}  // namespace lava::builder
