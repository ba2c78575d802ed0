// What every step of one payload's native build shares: the project and payload, the
// options, the caches, the layer timestamp, the host interpreter that runs pip, the base
// image and the platforms to build, and the result being filled in. Opening a session does
// the checks that need no work yet: the context exists and every platform's base is there.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "native/base_image.h"
#include "native/built_layer_cache.h"
#include "native/image_assembly.h"
#include "native/layer_writer.h"
#include "native/native_build.h"

namespace lava::native {

// One platform to build and its base image manifest.
struct BuildTarget {
  std::string shown;  // "linux/arm64"
  oci::Platform wanted;
  BaseManifest base;
};

struct BuildSession {
  const project::Project& project;
  const project::Payload& payload;
  const NativeOptions& options;
  NativeResult& result;
  std::filesystem::path cache;       // the per-user cache
  std::filesystem::path blob_cache;  // cache/blobs
  BuiltLayerCache layer_cache;
  int64_t epoch = 0;  // every mtime and "created"
  LayerWriteOptions write_options;
  std::string python;  // the build host's interpreter that runs pip
  Provenance provenance;
  std::unique_ptr<BaseImage> base;
  std::vector<BuildTarget> targets;  // in docker.platform's order

  // A progress line (redacted).
  void say(const std::string& line) const;
  void notice(const std::string& line) { result.notices.push_back(line); }
  const std::string& name() const { return payload.name; }
};

// Checks the context, opens the base image (one progress line) and finds every platform's
// manifest in it; a platform the base lacks is an error naming it and the config file.
BuildSession open_session(const project::Project& project, const project::Payload& payload,
                          const std::filesystem::path& context_dir, const NativeOptions& options,
                          NativeResult& result);

// The host interpreter that runs pip: options.python, else $LAVA_PYTHON, else
// /usr/bin/python3 when present, else python3 from PATH.
std::string host_python(const NativeOptions& options);

// "sha256:0123456789ab", for progress lines.
std::string short_digest(const oci::Digest& d);

}  // namespace lava::native
