// Pushing an OCI layout's image (one manifest, or an index over per-platform manifests) to a
// registry: blobs first (skipped when present, mounted when another repository of the
// registry has them, else uploaded), then child manifests by digest, and the tag last, so a
// failed push never moves the tag.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "oci/layout.h"
#include "registry/client.h"
#include "registry/reference.h"

namespace lava::registry {

struct PushOptions {
  // Repositories of the same registry to try cross-repository mounts from, in order
  // (e.g. the base image's repository).
  std::vector<std::string> mount_from;
  // 0: monolithic uploads; else PATCH chunks of this many bytes for larger blobs.
  uint64_t chunk_size = 0;
};

struct PushEvent {
  enum class Kind {
    kBlobStart,     // about to upload `descriptor`
    kBlobProgress,  // `bytes` of `descriptor.size` sent
    kBlobDone,      // `outcome`: "uploaded", "exists" or "mounted"
    kManifest,      // pushed a manifest or index (`outcome` is the tag or "digest")
  };
  Kind kind;
  oci::Descriptor descriptor;
  uint64_t bytes = 0;
  std::string outcome;
};
using ProgressCallback = std::function<void(const PushEvent&)>;

struct PushResult {
  oci::Digest digest;      // of what the tag now points at
  std::string media_type;  // manifest or index
  std::string reference;   // "registry/repo:tag@digest"
  int blobs_uploaded = 0;
  int blobs_skipped = 0;  // already in the repository
  int blobs_mounted = 0;
  uint64_t bytes_uploaded = 0;
  int manifests_pushed = 0;
  uint64_t requests = 0;
};

// Pushes layout.root() to `target` (its tag; a digest in `target` is ignored).
PushResult push_layout(Client& client, const oci::Layout& layout, const Reference& target,
                       const PushOptions& options = {}, const ProgressCallback& progress = {});

// Deletes the manifest `ref`'s tag points at (all tags on it go with it). Returns false when
// the tag did not exist.
bool delete_tag_manifests(Client& client, const Reference& ref);
// Deletes the manifests every tag of `repository` points at; returns how many.
int delete_repository_manifests(Client& client, const std::string& repository);

}  // namespace lava::registry
