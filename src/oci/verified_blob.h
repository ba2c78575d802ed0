// Placing a blob from a cache or a base layout into an image layout we write, checked on
// the way: the file is read through once and must hash to its digest, so a bit flip or a
// truncation in the source never reaches dist/ (nor, from there, an engine or a registry).
// The placed file is a reflink where the file system has them, else a copy made in the
// same pass as the hash; never a hard link, so an in-place write to the cache cannot alter
// dist/ (or the reverse). The copy is read-only, as blobs written by BlobWriter and the
// layer writer (the cache's) are.
#pragma once

#include <cstdint>
#include <filesystem>

#include "oci/digest.h"
#include "util/error.h"

namespace lava::oci {

// A blob file whose content does not match its digest (or its expected size).
class BlobDigestMismatch : public Error {
 public:
  BlobDigestMismatch(const std::filesystem::path& file, const std::string& problem)
      : Error(file.string() + ": " + problem), file_(file) {}
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

// Checks that `file` has `size` bytes (unless negative) and hashes to `digest`; throws
// BlobDigestMismatch when not.
void verify_blob_file(const std::filesystem::path& file, const Digest& digest, int64_t size = -1);

// Places a copy of `src` at `dest` (through a temporary sibling and a rename), checked as
// verify_blob_file does; on a mismatch nothing is placed. Leaves an existing `dest`
// alone: a staged layout's blob is ours already.
void place_verified(const std::filesystem::path& src, const std::filesystem::path& dest,
                    const Digest& digest, int64_t size = -1);

// Places a copy of a blob this process has just written and hashed itself, unchecked.
void place_fresh(const std::filesystem::path& src, const std::filesystem::path& dest);

}  // namespace lava::oci
