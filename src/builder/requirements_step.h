// The built-in Dockerfile's requirements step on a Docker engine, run in a container of its
// own so that PIP_INDEX_URL (often holding credentials) never enters an image, a build
// argument or an image's history. The classic builder has no secret mounts: every ARG a
// RUN sees is recorded in that RUN's history, and every file COPY brings in is in a layer.
// So the index URL and the requirement files go into an anonymous volume of the container
// (a commit never includes a volume, and removing the container removes it), pip installs
// into /lava-root as the Dockerfile's stage did, and the container is committed as an
// untagged image the main build copies /lava-root from. The caller removes that image.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "docker/docker_client.h"

namespace lava::builder {

struct RequirementsStepRequest {
  std::string base_image;  // reference; pulled for `platform`
  std::string platform;    // "linux/arm64"; empty: the engine's own
  std::string network_mode;
  std::filesystem::path context_dir;  // the prepared context: requirements*.txt when present
  std::string index_url;              // PIP_INDEX_URL; empty: none given
  // pip's output, a line at a time, redacted (from another thread).
  std::function<void(const std::string& line)> on_output;
};

struct RequirementsStepResult {
  std::string base_image_id;  // the base the step ran on: the main build's FROM
  std::string image_id;       // the committed step, untagged
};

// The label (key and value) on the step's container and on the image committed from it.
inline constexpr const char* kRequirementsStepLabel = "lava-docker.stage";
inline constexpr const char* kRequirementsStepLabelValue = "lava-requirements";
// Beside it, the process that made them (util/process_owner.h), for the sweep below.
inline constexpr const char* kRequirementsStepOwnerLabel = "lava-docker.owner";

// The step's shell script: part of what makes a built-in-Dockerfile build up to date.
std::string_view requirements_step_script();

// Pulls the base for the platform and runs the step. A failing pip is a lava::Error with
// pip's last line; Ctrl-C stops and removes the container and throws Cancelled. The
// container is removed however it ends.
RequirementsStepResult run_requirements_step(docker::DockerClient& docker,
                                             const RequirementsStepRequest& request);

// Removes the step containers (with their volumes, where an index URL may still be) and
// committed step images that a killed lava-docker left: those whose owner process on this
// machine is gone. Another machine's, or a running build's, are kept. Returns how many
// were removed; run before each step and by `clean`.
int sweep_abandoned_requirements_steps(docker::DockerClient& docker);

}  // namespace lava::builder
