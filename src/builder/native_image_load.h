// Getting a natively built platform image into a Docker engine, for `run`: the engine only
// runs images it holds, and a native build leaves them in an OCI layout.
#pragma once

#include "builder/build_state.h"
#include "docker/docker_client.h"
#include "project/project.h"

namespace lava::builder {

// Makes `docker` hold `image` (one platform of the payload's native build) under
// `image.tag`: nothing when the tag already names `image.image_id`; otherwise streams that
// platform's image from dist/<env>/lava-payloads/<name>.oci to the engine as a `docker
// save` archive (layers as they are, compressed) and tags it.
void ensure_native_image_loaded(docker::DockerClient& docker, const project::Project& project,
                                const project::Payload& payload, const BuiltImage& image);

}  // namespace lava::builder
