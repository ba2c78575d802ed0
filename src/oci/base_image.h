// A native build's base image, wherever it comes from (a registry: registry/registry_base.h;
// a local OCI image layout: oci/layout_base.h; which one a name means: native/base_image.h).
// Either way the build sees per-platform manifests and local, verified blob files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "oci/descriptor.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/platform.h"

namespace lava::oci {

struct BaseManifest {
  Descriptor descriptor;  // of the image manifest, with its platform
  Manifest manifest;
  ImageConfig config;
};

class BaseImage {
 public:
  virtual ~BaseImage() = default;
  // As the user named it ("registry/repo:tag", "oci:path:tag").
  virtual const std::string& name() const = 0;
  // The digest of what the name points at (an index or a manifest).
  virtual const Digest& digest() const = 0;
  // The image for `platform`; throws naming the base and the platforms it has when absent.
  virtual BaseManifest manifest_for(const Platform& platform) = 0;
  // A local file with blob `d`'s verified content (fetched into the cache when needed).
  virtual std::filesystem::path blob_file(const Descriptor& d) = 0;
  // Drops a cached copy of blob `d` found damaged, so blob_file fetches it again; false
  // when there is no other copy to fetch (a local layout's blob is the only one).
  virtual bool discard_blob(const Descriptor&) { return false; }
  // When a registry tag's digest came from the tag cache: when the registry gave that
  // answer (seconds since the epoch). nullopt when the registry was asked just now, the
  // name holds a digest, or the base is a local layout.
  virtual std::optional<int64_t> answered_at() const { return std::nullopt; }
};

// Reads a manifest, index or config blob by its descriptor.
using BlobReader = std::function<std::string(const Descriptor&)>;

// The image manifest for `platform` of base `name`, whose root (what the name points at) is
// `root` with content `root_bytes`: through the index when the root is one (its child read
// with `read_manifest`), then checked against the config (read with `read_config`).
// Throws PlatformMissing when the base has no such image.
BaseManifest base_manifest_for(const std::string& name, const std::string& root_bytes,
                               const Descriptor& root, const Platform& platform,
                               const BlobReader& read_manifest, const BlobReader& read_config);

}  // namespace lava::oci
