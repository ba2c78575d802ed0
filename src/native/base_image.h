// Where a native build's base image comes from: a registry (through lava::registry) or a
// local OCI image layout named "oci:PATH[:TAG]" (the containers-image transport syntax).
// Either way the build sees per-platform manifests and local, verified blob files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "oci/descriptor.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/platform.h"

namespace lava::native {

struct BaseManifest {
  oci::Descriptor descriptor;  // of the image manifest, with its platform
  oci::Manifest manifest;
  oci::ImageConfig config;
};

class BaseImage {
 public:
  virtual ~BaseImage() = default;
  // As the user named it ("registry/repo:tag", "oci:path:tag").
  virtual const std::string& name() const = 0;
  // The digest of what the name points at (an index or a manifest).
  virtual const oci::Digest& digest() const = 0;
  // The image for `platform`; throws naming the base and the platforms it has when absent.
  virtual BaseManifest manifest_for(const oci::Platform& platform) = 0;
  // A local file with blob `d`'s verified content (fetched into the cache when needed).
  virtual std::filesystem::path blob_file(const oci::Descriptor& d) = 0;
};

struct BaseImageOptions {
  std::filesystem::path relative_to;   // for a relative oci: path (the project directory)
  std::filesystem::path blob_cache;    // blobs root of the per-user cache (sha256/<hex>)
  bool insecure_registry = false;      // docker.insecure_registry
  std::filesystem::path scheme_hints;  // registry::ClientOptions::scheme_hints
};

// "oci:" names open a layout; anything else is a registry reference. The registry is asked
// once for what the name points at now; blobs come from the cache when it has them.
std::unique_ptr<BaseImage> open_base_image(const std::string& name,
                                           const BaseImageOptions& options);

// Splits "oci:PATH[:TAG]" at its first ':' after the prefix (as containers-image does).
// False when `name` does not start with "oci:".
bool parse_oci_name(const std::string& name, std::string& path, std::string& tag);

}  // namespace lava::native
