// What a payload's last successful build left in dist/: the images per platform and the
// stamp of the inputs they were built from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "project/dist_layout.h"

namespace lava::builder {

struct BuiltImage {
  std::string platform;  // "linux/amd64" or "host"
  std::string tag;       // "<image>:latest" or "<image>:latest-<suffix>"
  std::string image_id;  // "sha256:..."
};

struct BuildState {
  std::string engine;  // "docker" or "native"
  std::string stamp;   // context::input_stamp of the inputs
  std::vector<BuiltImage> images;
  std::string index_digest;  // native builds: digest of the OCI index in <name>.oci
  std::string base_digest;   // native builds: what the base image name resolved to
};

// nullopt when the payload was never built (or its state is unreadable: rebuild then).
std::optional<BuildState> read_build_state(const project::DistLayout& dist,
                                           const std::string& payload);

// Writes the state file and the framework's .dockerimg atomically (state first, so a
// crash between the two leaves a stale .dockerimg that the next build replaces).
void write_build_state(const project::DistLayout& dist, const std::string& payload,
                       const BuildState& state);

}  // namespace lava::builder
