// Layers we built before, found again by a digest of everything that went into them (their
// "recipe"): the passwd layer of a base, the pip layer of a requirements set for a platform.
// A code-only change then rebuilds only the payload layer.
//
// On disk: <dir>/<recipe hex>  "<digest> <diff_id> <size>"; the blobs live in the shared
// blob cache (sha256/<hex>).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "native/layer_writer.h"

namespace lava::native {

class BuiltLayerCache {
 public:
  BuiltLayerCache(std::filesystem::path index_dir, std::filesystem::path blobs_root)
      : index_dir_(std::move(index_dir)), blobs_root_(std::move(blobs_root)) {}

  const std::filesystem::path& blobs_root() const { return blobs_root_; }
  // The layer built from `recipe` before, when its blob is still there (unchecked: the
  // caller verifies it as it copies it).
  std::optional<LayerBlob> find(const std::string& recipe) const;
  void remember(const std::string& recipe, const LayerBlob& blob) const;
  // The blob file of a layer in this cache.
  std::filesystem::path blob_file(const LayerBlob& blob) const;

 private:
  std::filesystem::path entry(const std::string& recipe) const;
  std::filesystem::path index_dir_;
  std::filesystem::path blobs_root_;
};

}  // namespace lava::native
