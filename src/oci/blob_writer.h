// Writes one blob into a blobs/ directory: streamed, hashed on the way, and moved into
// place atomically under its digest, so a blob file is always complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "oci/digest.h"

namespace lava::oci {

class BlobWriter {
 public:
  // `blobs_root` is the directory holding "<algorithm>/<hex>" files. `durable`: fsync the
  // blob before it takes its name, for shared stores (the cache); a layout that is moved
  // into place whole afterwards can do without.
  explicit BlobWriter(std::filesystem::path blobs_root, bool durable = true);
  ~BlobWriter();  // removes the temporary file unless committed
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  void write(const void* data, size_t n);
  void write(std::string_view s) { write(s.data(), s.size()); }
  uint64_t size() const { return size_; }

  // Finishes the digest, checks it against `expected` when given (throwing and discarding
  // on a mismatch), fsyncs and renames into place. Returns the digest.
  Digest commit(const std::optional<Digest>& expected = std::nullopt);
  void abort();

 private:
  std::filesystem::path root_;
  std::filesystem::path tmp_;
  bool durable_;
  int fd_ = -1;
  Sha256 hash_;
  uint64_t size_ = 0;
};

// Where a blob with `digest` lives under `blobs_root`.
std::filesystem::path blob_file(const std::filesystem::path& blobs_root, const Digest& digest);

// Places an existing complete file at `dest` (hard link when possible, else copy to a temp
// sibling and rename). Leaves `dest` alone when it already exists.
void link_or_copy(const std::filesystem::path& src, const std::filesystem::path& dest);

}  // namespace lava::oci
