// The OCI layout a native build writes in a temporary directory beside dist/'s, and how
// blobs get into it: base layers and cached layers checked against their digests on the way
// (a damaged cached copy is dropped, with one notice), fresh blobs as they are. Nothing in
// it is fsynced: it is moved into place whole, and a layout damaged by a crash shows as
// blobs not matching their digests.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "native/base_image.h"
#include "native/built_layer_cache.h"
#include "oci/descriptor.h"

namespace lava::native {

class StagedLayout {
 public:
  // `previous`: the layout this build replaces (none with --force). A blob it already holds
  // by itself is linked from there instead of read and checked again: it was checked when it
  // came in, and it is ours alone (never a cache's file). After the replace it is again.
  explicit StagedLayout(std::filesystem::path dir,
                        std::optional<std::filesystem::path> previous = std::nullopt);
  std::filesystem::path blobs_root() const { return dir_ / "blobs"; }
  std::filesystem::path blob_path(const oci::Digest& d) const;
  // A blob from a cache or the base: from the previous layout when it has it, else read
  // through and checked against its digest first (oci/verified_blob.h).
  void place(const std::filesystem::path& file, const oci::Descriptor& d) const;
  // A blob this build wrote and hashed itself.
  void place_fresh(const std::filesystem::path& file, const oci::Digest& d) const;
  oci::Descriptor write_blob(const std::string& data, std::string_view media_type) const;
  // index.json: one entry, `root`, tagged `ref_name`.
  void set_root(oci::Descriptor root, const std::string& ref_name) const;

 private:
  bool link_from_previous(const oci::Descriptor& d) const;
  std::filesystem::path dir_;
  std::optional<std::filesystem::path> previous_;
};

// Removes temporary layouts (`<dir>/<prefix><pid>`) left by builds that died.
void remove_stale_temps(const std::filesystem::path& dir, const std::string& prefix);

// Stages a base layer, verified; a damaged cached copy is dropped and fetched again once,
// with one notice. A damaged blob of a local layout has no other copy: an error.
void place_base_layer(BaseImage& base, const StagedLayout& layout, const oci::Descriptor& layer,
                      std::vector<std::string>& notices, const std::string& payload);

// A layer built before, staged from the cache after checking it; a damaged one is dropped
// (one notice) and nullopt tells the caller to build it again.
std::optional<LayerBlob> reuse_built_layer(const BuiltLayerCache& cache, const std::string& recipe,
                                           const StagedLayout& layout,
                                           std::vector<std::string>& notices,
                                           const std::string& payload);

}  // namespace lava::native
