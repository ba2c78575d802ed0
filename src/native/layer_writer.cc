#include "native/layer_writer.h"

#include "oci/blob_writer.h"
#include "oci/parallel_gzip.h"
#include "oci/tar_stream.h"

namespace lava::native {

namespace fs = std::filesystem;

LayerBlob write_layer(std::vector<oci::LayerEntry> entries, const fs::path& blobs_root,
                      const LayerWriteOptions& options) {
  oci::BlobWriter blob(blobs_root, options.durable);
  oci::Sha256 tar_hash;
  oci::ParallelGzip gzip([&](const char* data, size_t n) { blob.write(data, n); },
                         options.gzip_level, options.threads);
  oci::write_tar(std::move(entries), options.mtime, [&](const char* data, size_t n) {
    tar_hash.update(data, n);
    gzip.write(data, n);
  });
  gzip.finish();
  LayerBlob out;
  out.tar_size = tar_hash.bytes();
  out.diff_id = tar_hash.finish();
  out.size = static_cast<int64_t>(blob.size());
  out.digest = blob.commit();
  return out;
}

}  // namespace lava::native
