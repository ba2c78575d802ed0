// `install` for one payload, CLI-free: (build and) make its OCI layout, then publish it to
// <docker.registry>/<prefix.docker_repo>/<name>:latest, mounting the base image's layers
// when the base lives in the target registry.
#pragma once

#include <string>

#include "builder/payload_builder.h"
#include "project/project.h"
#include "publish/publish.h"

namespace lava::builder {

// Where install and uninstall send a payload: docker.registry plus <prefix.docker_repo>/<name>.
publish::PublishTarget publish_target(const project::Config& config,
                                      const std::string& payload_name);

// `builder` null: push the layout already in dist/ (--no-build).
publish::PublishResult install_payload(PayloadBuilder* builder, const project::Project& project,
                                       const project::Payload& payload,
                                       publish::PublishOptions options,
                                       const registry::ProgressCallback& progress);

}  // namespace lava::builder
