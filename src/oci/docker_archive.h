// Importing a `docker save` archive (the legacy layout: manifest.json + <id>/layer.tar, and
// the newer OCI-style one: manifest.json + blobs/sha256/...) into an OCI image layout.
//
// One streaming pass over the archive: each layer is gzip-compressed once while both its
// uncompressed diff_id and its compressed digest are hashed; a LayerCache keyed by diff_id
// means a layer seen before is not compressed again: OCI-style saves name layers by their
// diff_id, and legacy saves by a v1 id the cache learns on first sight, so a known layer is
// only hashed, to check it.
#pragma once

#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "oci/descriptor.h"
#include "oci/layer_cache.h"
#include "oci/layout.h"

namespace lava::oci {

struct ImportStats {
  int layers = 0;
  int layers_compressed = 0;         // gzip ran over them in this import
  int layers_from_cache = 0;         // taken from the cache without compressing
  uint64_t bytes_read = 0;           // uncompressed layer bytes read from the archive
  std::vector<std::string> notices;  // damaged cache entries dropped, one line each
};

struct ImportOptions {
  // A RepoTag in the archive's manifest.json ("name:tag"); empty: the first image.
  std::string image;
  // Write Docker v2 schema 2 media types instead of OCI ones.
  bool docker_media_types = false;
  int gzip_level = 6;
  ImportStats* stats = nullptr;  // filled in when given
};

// Imports one image from the archive read from `in` into `layout` (blobs only: index.json is
// left alone, see write_payload_root). Returns the image manifest's descriptor, with the
// platform taken from the image config. `where` names the archive in errors.
Descriptor import_docker_archive(std::istream& in, const Layout& layout, const LayerCache& cache,
                                 const ImportOptions& options = {},
                                 const std::string& where = "docker archive");
// The same from a pull-style reader (fill `buf` with up to `max` bytes, 0 at the end), e.g.
// the read end of a pipe fed by the Docker Engine's GET /images/{name}/get.
using ArchiveReader = std::function<size_t(char* buf, size_t max)>;
Descriptor import_docker_archive(const ArchiveReader& read, const Layout& layout,
                                 const LayerCache& cache, const ImportOptions& options = {},
                                 const std::string& where = "docker archive");
Descriptor import_docker_archive(const std::filesystem::path& archive, const Layout& layout,
                                 const LayerCache& cache, const ImportOptions& options = {});

}  // namespace lava::oci
