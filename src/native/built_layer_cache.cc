#include "native/built_layer_cache.h"

#include <sstream>

#include "oci/blob_writer.h"
#include "util/file_io.h"

namespace lava::native {

namespace fs = std::filesystem;

fs::path BuiltLayerCache::entry(const std::string& recipe) const {
  return index_dir_ / oci::sha256_of(recipe).hex();
}

fs::path BuiltLayerCache::blob_file(const LayerBlob& blob) const {
  return oci::blob_file(blobs_root_, blob.digest);
}

std::optional<LayerBlob> BuiltLayerCache::find(const std::string& recipe) const {
  std::error_code ec;
  fs::path e = entry(recipe);
  if (!fs::is_regular_file(e, ec)) return std::nullopt;
  std::istringstream in(read_file(e));
  std::string digest, diff_id;
  int64_t size = -1;
  in >> digest >> diff_id >> size;
  if (!oci::Digest::valid(digest) || !oci::Digest::valid(diff_id) || size < 0) return std::nullopt;
  LayerBlob blob;
  blob.digest = oci::Digest::parse(digest);
  blob.diff_id = oci::Digest::parse(diff_id);
  blob.size = size;
  // Present is enough here: its content (size included) is checked as it is staged, where
  // a damaged one is dropped with a notice and built again.
  if (!fs::exists(blob_file(blob), ec)) return std::nullopt;
  return blob;
}

void BuiltLayerCache::remember(const std::string& recipe, const LayerBlob& blob) const {
  write_file_atomic(entry(recipe), blob.digest.str() + " " + blob.diff_id.str() + " " +
                                       std::to_string(blob.size) + "\n");
}

}  // namespace lava::native
