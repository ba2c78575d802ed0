// What a base image's registry tag pointed at when the registry was last asked, kept per
// user (<cache>/base-tags/). A rebuild reads the answer from here instead of asking again,
// as `docker build` reuses a base image it already has; `--pull` asks again. Only the
// root digest is kept: the manifests and blobs behind it are in the content-addressed
// blob cache.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "oci/digest.h"

namespace lava::registry {

struct TagAnswer {
  oci::Digest digest;      // of what the tag pointed at (an index or a manifest)
  std::string media_type;  // as the registry served it
  int64_t asked_at = 0;    // seconds since the epoch
};

class BaseTagCache {
 public:
  explicit BaseTagCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The last answer for `reference` ("registry/repository:tag"); nullopt when there is none
  // or its file is unreadable (then the registry is asked again).
  std::optional<TagAnswer> get(const std::string& reference) const;
  // Records an answer (atomically: a reader sees the old answer or the new one).
  void put(const std::string& reference, const TagAnswer& answer) const;

 private:
  std::filesystem::path file_for(const std::string& reference) const;
  std::filesystem::path dir_;
};

}  // namespace lava::registry
