// A native build's base image read from a registry: the tag resolved once (and its answer
// kept in the tag cache), manifests and blobs fetched into the per-user, content-addressed
// blob cache and read from there afterwards.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "oci/base_image.h"
#include "registry/blob_fetch_event.h"

namespace lava::registry {

struct RegistryBaseOptions {
  std::filesystem::path blob_cache;    // blobs root of the per-user cache (sha256/<hex>)
  bool insecure_registry = false;      // docker.insecure_registry
  std::filesystem::path scheme_hints;  // registry::ClientOptions::scheme_hints
  // Where registry tags' last answers are kept (BaseTagCache); empty: always ask.
  std::filesystem::path tag_cache;
  // Ask the registry what the tag points at now even when the tag cache knows (--pull).
  bool refresh = false;
  // Told about each layer blob_file fetches (not about cached ones, configs or manifests).
  BlobFetchCallback on_fetch;
};

// Opens registry reference `name`. A tag is resolved from the tag cache when it has an
// answer (and options.refresh is off), else by asking the registry once, whose answer the
// cache then keeps; manifests and blobs come from the blob cache when it has them. The
// registry is not contacted at all when everything is cached. Throws lava::Error starting
// "base image NAME: ".
std::unique_ptr<oci::BaseImage> open_registry_base(const std::string& name,
                                                   const RegistryBaseOptions& options);

// What reference `name` resolves to without asking the registry: the digest it names, or
// the tag cache's answer; with options.refresh, the registry is asked (and the answer
// cached). nullopt when only the registry could tell.
std::optional<oci::Digest> known_registry_base_digest(const std::string& name,
                                                      const RegistryBaseOptions& options);

}  // namespace lava::registry
