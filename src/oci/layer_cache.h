// Per-user cache of compressed layers keyed by the uncompressed content (diff_id), so the
// same layer is compressed once and always yields the same compressed blob and digest.
//
// On disk: <dir>/sha256/<hex>           compressed blobs by their own digest
//          <dir>/diffid/sha256/<hex>    "<compressed digest> <size>" for a diff_id
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "oci/digest.h"

namespace lava::oci {

struct CachedLayer {
  Digest digest;  // of the gzip-compressed blob
  int64_t size = 0;
  std::filesystem::path file;
};

class LayerCache {
 public:
  // An empty `dir` disables the cache.
  explicit LayerCache(std::filesystem::path dir = {}) : dir_(std::move(dir)) {}
  // ${XDG_CACHE_HOME:-~/.cache}/lava-docker/blobs
  static std::filesystem::path default_dir();

  bool enabled() const { return !dir_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  // The blobs root for BlobWriter (<dir>), creating it.
  std::filesystem::path blobs_root() const;

  // The cached compressed layer for `diff_id`, when its blob is present with the right size.
  std::optional<CachedLayer> lookup(const Digest& diff_id) const;
  // Records that `diff_id` compresses to the blob `digest` (already written under blobs_root).
  void remember(const Digest& diff_id, const Digest& digest, int64_t size) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace lava::oci
