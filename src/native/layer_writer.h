// Turns layer entries into a gzip-compressed layer blob in one streaming pass: the tar is
// hashed (diff_id) and compressed as it is produced, and the compressed bytes are hashed
// (digest) and written to the blob store as they come. Nothing holds the whole layer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "oci/digest.h"
#include "oci/layer_entry.h"

namespace lava::native {

struct LayerBlob {
  oci::Digest diff_id;  // sha256 of the uncompressed tar
  oci::Digest digest;   // sha256 of the gzip blob
  int64_t size = 0;     // of the gzip blob
  uint64_t tar_size = 0;
};

struct LayerWriteOptions {
  int64_t mtime = 0;
  int gzip_level = 6;
  unsigned threads = 0;  // 0: one per core
  // fsync the blob before it takes its name: for shared stores (the cache). A layout that is
  // moved into place whole afterwards can do without.
  bool durable = true;
};

// Writes the layer into `blobs_root` (a directory holding sha256/<hex> files) and returns
// its digests. The blob appears atomically under its digest.
LayerBlob write_layer(std::vector<oci::LayerEntry> entries, const std::filesystem::path& blobs_root,
                      const LayerWriteOptions& options = {});

}  // namespace lava::native
