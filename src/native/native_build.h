// The native engine: builds a payload that uses the default Dockerfile into a multi-platform
// OCI image layout with no Docker daemon and no emulation. On top of the base image, per
// platform:
//   1. /etc/passwd and /etc/group with the lava user and group (uid/gid 99999, home /lava);
//   2. requirements.txt (with dependencies) and requirements-nodeps.txt (without), installed
//      by the host's pip from wheels for the target platform, where the base's python3
//      imports from;
//   3. the build context at /lava, owned by root, modes normalised;
// then ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 and USER lava.
// Layers are deterministic (sorted tar entries, SOURCE_DATE_EPOCH mtimes, root:root), so the
// same inputs give the same index digest anywhere.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "native/base_image.h"
#include "oci/descriptor.h"
#include "project/project.h"

namespace lava::native {

struct NativeOptions {
  // Rebuild the passwd and pip layers even when the cache has them (base blobs and pip's own
  // download cache are still used).
  bool force = false;
  // Ask the base image's registry what its tag points at now, even when the tag cache has
  // an earlier answer (--pull).
  bool pull = false;
  // Per-user cache; empty: ${XDG_CACHE_HOME:-~/.cache}/lava-docker.
  std::filesystem::path cache_dir;
  // Timestamp of every layer entry, history entry and the "created" fields; empty:
  // $SOURCE_DATE_EPOCH, else 0.
  std::optional<int64_t> source_date_epoch;
  // The build host's interpreter that runs pip; empty: $LAVA_PYTHON, else /usr/bin/python3
  // when it exists, else python3 from PATH.
  std::string python;
  // Which interpreter writes the .pyc files (native/pyc_step.h): "auto", "sandbox",
  // "target" or "none"; empty: $LAVA_PYC_COMPILER, else auto.
  std::string pyc_compiler;
  // PIP_* settings for this build's pip over the environment's (PIP_INDEX_URL from
  // --build-arg); their values are secrets: only a hash enters the layer recipe.
  std::map<std::string, std::string> pip_env;
  int gzip_level = 6;
  unsigned threads = 0;  // compression threads; 0: one per core
  // Progress lines (one per step) and pip's output lines; both already redacted.
  std::function<void(const std::string& line)> progress;
  std::function<void(const std::string& line)> output;
  // Each base layer fetched from the base's registry, as it arrives.
  registry::BlobFetchCallback base_download;
  // Called just before the new layout replaces the old one in dist/: the caller retires
  // what names the old result (NAME.dockerimg), so that a crash in between leaves a
  // payload that reads as "not built", never an old id beside a new layout.
  std::function<void()> before_commit;
};

struct NativePlatformImage {
  std::string platform;      // "linux/amd64"
  oci::Descriptor manifest;  // in the layout, with its platform
};

struct NativeResult {
  oci::Digest index_digest;      // what <name>.dockerimg holds: the image index in the layout
  oci::Digest base_digest;       // what the base image name resolved to
  std::filesystem::path layout;  // dist/<env>/lava-payloads/<name>.oci
  std::vector<NativePlatformImage> images;
  std::vector<std::string> notices;  // things the user should know (one line each)
  int layers_built = 0;              // layers written in this build
  int layers_reused = 0;             // passwd/pip layers taken from the cache
};

// Builds `payload` from its prepared build context (context::prepare_context's directory:
// its content becomes /lava) for every platform the project configures ("host" means the
// build host's), and replaces project.dist.oci_layout(payload.name) atomically with an OCI
// layout whose index.json has one entry, tagged "latest": an image index over the platforms.
// The base image is project.config.base_img: a registry reference or oci:PATH[:TAG] (a
// relative PATH is relative to the project directory). Throws lava::Error (dist/ untouched)
// when the base lacks a platform, a requirement has no wheel for a target, and so on.
NativeResult build_payload(const project::Project& project, const project::Payload& payload,
                           const std::filesystem::path& context_dir, const NativeOptions& options);

// ${XDG_CACHE_HOME:-~/.cache}/lava-docker
std::filesystem::path default_cache_dir();

// How a build of `project` opens its base image, given the per-user cache directory.
BaseImageOptions base_image_options(const project::Project& project,
                                    const std::filesystem::path& cache, bool refresh);

}  // namespace lava::native
