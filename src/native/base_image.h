// Where a native build's base image comes from: a registry (through lava::registry) or a
// local OCI image layout named "oci:PATH[:TAG]" (the containers-image transport syntax).
// Either way the build sees per-platform manifests and local, verified blob files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
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
  // Drops a cached copy of blob `d` found damaged, so blob_file fetches it again; false
  // when there is no other copy to fetch (a local layout's blob is the only one).
  virtual bool discard_blob(const oci::Descriptor&) { return false; }
  // When a registry tag's digest came from the tag cache: when the registry gave that
  // answer (seconds since the epoch). nullopt when the registry was asked just now, the
  // name holds a digest, or the base is a local layout.
  virtual std::optional<int64_t> answered_at() const { return std::nullopt; }
};

struct BaseImageOptions {
  std::filesystem::path relative_to;   // for a relative oci: path (the project directory)
  std::filesystem::path blob_cache;    // blobs root of the per-user cache (sha256/<hex>)
  bool insecure_registry = false;      // docker.insecure_registry
  std::filesystem::path scheme_hints;  // registry::ClientOptions::scheme_hints
  // Where registry tags' last answers are kept (BaseTagCache); empty: always ask.
  std::filesystem::path tag_cache;
  // Ask the registry what the tag points at now even when the tag cache knows (--pull).
  bool refresh = false;
};

// "oci:" names open a layout; anything else is a registry reference. A tag is resolved from
// the tag cache when it has an answer (and options.refresh is off), else by asking the
// registry once, whose answer the cache then keeps; manifests and blobs come from the blob
// cache when it has them. The registry is not contacted at all when everything is cached.
std::unique_ptr<BaseImage> open_base_image(const std::string& name,
                                           const BaseImageOptions& options);

// What `name` resolves to without asking a registry: a local layout's tagged digest, the
// digest a reference names, or the tag cache's answer; with options.refresh, a registry tag
// is asked (and the answer cached). nullopt when only the registry could tell.
std::optional<oci::Digest> known_base_digest(const std::string& name,
                                             const BaseImageOptions& options);

// Splits "oci:PATH[:TAG]" at its first ':' after the prefix (as containers-image does).
// False when `name` does not start with "oci:".
bool parse_oci_name(const std::string& name, std::string& path, std::string& tag);

}  // namespace lava::native
