#include "oci/layout.h"

#include <nlohmann/json.hpp>

#include "oci/media_types.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::oci {

namespace fs = std::filesystem;

namespace {
constexpr const char* kLayoutFile = R"({"imageLayoutVersion":"1.0.0"})";
constexpr uintmax_t kMaxSmallBlob = 64u << 20;
}  // namespace

Layout Layout::open(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / "oci-layout", ec))
    throw Error(dir.string() + ": not an OCI image layout (no oci-layout file)");
  auto j = nlohmann::json::parse(read_file(dir / "oci-layout"), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("imageLayoutVersion"))
    throw Error((dir / "oci-layout").string() + ": malformed");
  return Layout(dir);
}

Layout Layout::create(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir / "blobs" / "sha256", ec);
  if (ec) throw Error(dir.string() + ": cannot create directory: " + ec.message());
  if (!fs::exists(dir / "oci-layout")) write_file_atomic(dir / "oci-layout", kLayoutFile);
  Layout layout(dir);
  if (!fs::exists(dir / "index.json")) layout.write_index(Index{});
  return layout;
}

bool Layout::has_blob(const Digest& d) const {
  std::error_code ec;
  return fs::is_regular_file(blob_path(d), ec);
}

std::string Layout::read_blob(const Digest& d) const {
  fs::path p = blob_path(d);
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) throw Error(p.string() + ": blob " + d.str() + " missing from the layout");
  if (size > kMaxSmallBlob) throw Error(p.string() + ": too large to read into memory");
  std::string data = read_file(p);
  if (sha256_of(data) != d) throw Error(p.string() + ": content does not match digest " + d.str());
  return data;
}

Descriptor Layout::write_blob(std::string_view data, std::string_view media_type) const {
  Descriptor desc;
  desc.media_type = std::string(media_type);
  desc.digest = sha256_of(data);
  desc.size = static_cast<int64_t>(data.size());
  if (!has_blob(desc.digest)) {
    BlobWriter w(blobs_root());
    w.write(data);
    w.commit(desc.digest);
  }
  return desc;
}

Index Layout::read_index() const {
  fs::path p = dir_ / "index.json";
  return Index::parse(read_file(p), p.string());
}

void Layout::write_index(const Index& index) const {
  write_file_atomic(dir_ / "index.json", index.to_json());
}

Descriptor Layout::root() const {
  Index index = read_index();
  if (index.manifests.size() != 1)
    throw Error((dir_ / "index.json").string() + ": expected exactly one image, found " +
                std::to_string(index.manifests.size()));
  return index.manifests[0];
}

void Layout::set_root(Descriptor d, const std::string& ref_name) const {
  d.annotations[kRefNameAnnotation] = ref_name;
  Index index;
  index.manifests.push_back(std::move(d));
  write_index(index);
}

Manifest Layout::read_manifest(const Descriptor& d) const {
  return Manifest::parse(read_blob(d.digest), (dir_.string() + " manifest " + d.digest.str()));
}

Index Layout::read_image_index(const Descriptor& d) const {
  return Index::parse(read_blob(d.digest), (dir_.string() + " index " + d.digest.str()));
}

std::vector<Descriptor> Layout::image_manifests(const Descriptor& d) const {
  std::string data = read_blob(d.digest);
  std::string type = detect_media_type(data, dir_.string() + " " + d.digest.str());
  if (media::is_manifest(type)) return {d};
  if (!media::is_index(type))
    throw Error(dir_.string() + ": " + d.digest.str() + " has unsupported media type " + type);
  std::vector<Descriptor> out;
  for (const auto& child : Index::parse(data).manifests) {
    if (media::is_index(child.media_type)) {
      auto nested = image_manifests(child);
      out.insert(out.end(), nested.begin(), nested.end());
    } else {
      out.push_back(child);
    }
  }
  return out;
}

Descriptor write_payload_root(const Layout& layout, const std::vector<Descriptor>& manifests,
                              const std::string& ref_name) {
  if (manifests.empty()) throw Error(layout.dir().string() + ": no image to write");
  Descriptor root;
  if (manifests.size() == 1) {
    root = manifests[0];
  } else {
    Index index;
    for (auto m : manifests) {
      m.annotations.erase(kRefNameAnnotation);
      index.manifests.push_back(std::move(m));
    }
    root = layout.write_blob(index.to_json(), media::kOciIndex);
  }
  layout.set_root(root, ref_name);
  root.annotations[kRefNameAnnotation] = ref_name;
  return root;
}

}  // namespace lava::oci
