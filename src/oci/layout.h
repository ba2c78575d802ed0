// An OCI image layout directory: oci-layout, index.json, blobs/<alg>/<hex>.
//
// Payload convention: index.json has exactly one entry, annotated
// org.opencontainers.image.ref.name=latest, which is either an image manifest (one
// platform) or an image index over per-platform manifests.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "oci/blob_writer.h"
#include "oci/descriptor.h"
#include "oci/manifest.h"

namespace lava::oci {

class Layout {
 public:
  // Opens an existing layout; throws lava::Error naming the directory when it is not one.
  static Layout open(const std::filesystem::path& dir);
  // Opens `dir` as a layout, creating oci-layout, blobs/ and an empty index.json as needed.
  static Layout create(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path blobs_root() const { return dir_ / "blobs"; }
  std::filesystem::path blob_path(const Digest& d) const { return blob_file(blobs_root(), d); }
  bool has_blob(const Digest& d) const;

  // A whole (small) blob, verified against its digest; for manifests, indexes and configs.
  std::string read_blob(const Digest& d) const;
  // Writes `data` as a blob (atomic) and returns its descriptor.
  Descriptor write_blob(std::string_view data, std::string_view media_type) const;
  // A streaming writer for a large blob.
  BlobWriter blob_writer() const { return BlobWriter(blobs_root()); }

  Index read_index() const;              // index.json
  void write_index(const Index&) const;  // index.json, atomic
  // The single entry of index.json; throws when there is not exactly one.
  Descriptor root() const;
  // Makes `d` the single entry of index.json, tagged `ref_name`.
  void set_root(Descriptor d, const std::string& ref_name = "latest") const;

  Manifest read_manifest(const Descriptor& d) const;
  Index read_image_index(const Descriptor& d) const;
  // Every image manifest under `d` (itself when it is a manifest; the children of an index,
  // recursively), each with its platform as the index records it.
  std::vector<Descriptor> image_manifests(const Descriptor& d) const;

 private:
  explicit Layout(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

// Writes the payload root: with one manifest, that manifest; with several, an OCI image
// index over them (written as a blob). Returns the root descriptor now in index.json.
Descriptor write_payload_root(const Layout& layout, const std::vector<Descriptor>& manifests,
                              const std::string& ref_name = "latest");

}  // namespace lava::oci
