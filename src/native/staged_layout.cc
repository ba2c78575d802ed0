#include "native/staged_layout.h"

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include "oci/blob_writer.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "oci/verified_blob.h"
#include "util/error.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

void write_plain(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) throw Error(p.string() + ": cannot write");
}

}  // namespace

StagedLayout::StagedLayout(fs::path dir, std::optional<fs::path> previous)
    : dir_(std::move(dir)), previous_(std::move(previous)) {
  fs::create_directories(dir_ / "blobs" / "sha256");
  write_plain(dir_ / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
}

fs::path StagedLayout::blob_path(const oci::Digest& d) const {
  return oci::blob_file(blobs_root(), d);
}

bool StagedLayout::link_from_previous(const oci::Descriptor& d) const {
  if (!previous_) return false;
  const fs::path old = oci::blob_file(*previous_ / "blobs", d.digest);
  std::error_code ec;
  const auto status = fs::symlink_status(old, ec);
  if (ec || !fs::is_regular_file(status)) return false;
  if (fs::file_size(old, ec) != static_cast<uintmax_t>(d.size) || ec) return false;
  if (fs::hard_link_count(old, ec) != 1 || ec) return false;  // shared with something else
  fs::create_hard_link(old, blob_path(d.digest), ec);
  return !ec;
}

void StagedLayout::place(const fs::path& file, const oci::Descriptor& d) const {
  if (link_from_previous(d)) return;
  oci::place_verified(file, blob_path(d.digest), d.digest, d.size);
}

void StagedLayout::place_fresh(const fs::path& file, const oci::Digest& d) const {
  oci::place_fresh(file, blob_path(d));
}

oci::Descriptor StagedLayout::write_blob(const std::string& data,
                                         std::string_view media_type) const {
  oci::Descriptor d =
      oci::Descriptor::of(media_type, oci::sha256_of(data), static_cast<int64_t>(data.size()));
  write_plain(blob_path(d.digest), data);
  return d;
}

void StagedLayout::set_root(oci::Descriptor root, const std::string& ref_name) const {
  root.annotations[oci::kRefNameAnnotation] = ref_name;
  oci::Index index;
  index.manifests.push_back(std::move(root));
  write_plain(dir_ / "index.json", index.to_json());
}

void remove_stale_temps(const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::atol(name.substr(prefix.size()).c_str());
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH)) continue;
    fs::remove_all(e.path(), ec);
  }
}

void place_base_layer(BaseImage& base, const StagedLayout& layout, const oci::Descriptor& layer,
                      std::vector<std::string>& notices, const std::string& payload) {
  try {
    layout.place(base.blob_file(layer), layer);
    return;
  } catch (const oci::BlobDigestMismatch& e) {
    if (!base.discard_blob(layer))
      throw Error("base image " + base.name() + ": " + e.what() +
                  "; the layout is damaged or was altered");
    notices.push_back(payload + ": cached base layer " + layer.digest.str() + " was damaged (" +
                      e.what() + "): dropped and fetched again");
  }
  layout.place(base.blob_file(layer), layer);
}

std::optional<LayerBlob> reuse_built_layer(const BuiltLayerCache& cache, const std::string& recipe,
                                           const StagedLayout& layout,
                                           std::vector<std::string>& notices,
                                           const std::string& payload) {
  std::optional<LayerBlob> blob = cache.find(recipe);
  if (!blob) return std::nullopt;
  const fs::path file = cache.blob_file(*blob);
  try {
    layout.place(file, oci::Descriptor::of(oci::media::kOciLayerGzip, blob->digest, blob->size));
    return blob;
  } catch (const oci::BlobDigestMismatch& e) {
    std::error_code ec;
    fs::remove(file, ec);
    notices.push_back(payload + ": cached layer " + blob->digest.str() + " was damaged (" +
                      e.what() + "): dropped and built again");
    return std::nullopt;
  }
}

}  // namespace lava::native
