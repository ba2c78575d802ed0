#include "oci/docker_archive.h"

#include <cerrno>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "oci/blob_writer.h"
#include "oci/gzip.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/verified_blob.h"
#include "util/error.h"
#include "util/libarchive.h"

namespace lava::oci {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kChunk = 1 << 16;
constexpr int64_t kMaxMetadataFile = 16 << 20;

struct ProcessedLayer {
  Digest diff_id;
  Digest digest;  // compressed
  int64_t size = 0;
  fs::path file;  // where the compressed blob is now
};

struct ReaderSource {
  const ArchiveReader* read;
  char buf[kChunk];
  std::string error;
};

la_ssize_t read_source(struct archive* a, void* client, const void** buffer) {
  auto* s = static_cast<ReaderSource*>(client);
  *buffer = s->buf;
  try {
    return static_cast<la_ssize_t>((*s->read)(s->buf, sizeof s->buf));
  } catch (const std::exception& e) {
    s->error = e.what();
    archive_api::set_error(a, EIO, e.what());
    return -1;
  }
}

// "a/./b/../c" → "a/c"; leading "./" and "/" dropped.
std::string normalize(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      std::string p = path.substr(start, i - start);
      start = i + 1;
      if (p.empty() || p == ".") continue;
      if (p == "..") {
        if (!parts.empty()) parts.pop_back();
        continue;
      }
      parts.push_back(p);
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// The diff_id an entry name promises, for names like blobs/sha256/<hex>.
std::optional<Digest> digest_from_name(const std::string& name) {
  const std::string prefix = "blobs/sha256/";
  if (!name.starts_with(prefix)) return std::nullopt;
  std::string d = "sha256:" + name.substr(prefix.size());
  if (!Digest::valid(d)) return std::nullopt;
  return Digest::parse(d);
}

// The cache alias of a legacy `<v1-id>/layer.tar` entry.
std::optional<std::string> legacy_alias(const std::string& name) {
  if (name.size() != 64 + 10 || !name.ends_with("/layer.tar")) return std::nullopt;
  std::string id = name.substr(0, 64);
  if (!Digest::valid("sha256:" + id)) return std::nullopt;
  return "docker-v1-" + id;
}

bool is_metadata_name(const std::string& name) {
  return name == "manifest.json" || name == "repositories" || name == "index.json" ||
         name == "oci-layout" || name.ends_with(".json") || name.ends_with("/json") ||
         name.ends_with("/VERSION");
}

class Importer {
 public:
  Importer(const Layout& layout, const LayerCache& cache, const ImportOptions& options,
           std::string where)
      : layout_(layout), cache_(cache), options_(options), where_(std::move(where)) {}

  Descriptor run(struct archive* a) {
    struct archive_entry* entry;
    int rc;
    while ((rc = archive_api::read_next_header(a, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      std::string name =
          normalize(archive_api::entry_pathname(entry) ? archive_api::entry_pathname(entry) : "");
      if (const char* hl = archive_api::entry_hardlink(entry)) {
        links_[name] = normalize(hl);
        continue;
      }
      if (archive_api::entry_filetype(entry) == AE_IFLNK) {
        const char* target = archive_api::entry_symlink(entry);
        if (target) links_[name] = normalize(parent_of(name) + "/" + target);
        continue;
      }
      if (archive_api::entry_filetype(entry) != AE_IFREG) continue;
      entry_(a, name, archive_api::entry_size(entry));
    }
    if (rc != ARCHIVE_EOF) fail(std::string("cannot read: ") + archive_api::error_string(a));
    if (stats_.layers == 0 && small_.empty()) fail("empty or not a tar archive");
    return assemble();
  }

  ImportStats stats_;

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(where_ + ": " + what); }

  void read_all(struct archive* a, const std::string& name,
                const std::function<void(const char*, size_t)>& fn) {
    char buf[kChunk];
    la_ssize_t n;
    while ((n = archive_api::read_data(a, buf, sizeof buf)) > 0) fn(buf, static_cast<size_t>(n));
    if (n < 0) fail(name + ": " + archive_api::error_string(a));
  }

  void entry_(struct archive* a, const std::string& name, int64_t size) {
    // Peek at the start to tell JSON metadata from layer tars.
    std::string head(kChunk, '\0');
    la_ssize_t got = 0;
    while (got < static_cast<la_ssize_t>(head.size())) {
      la_ssize_t n = archive_api::read_data(a, head.data() + got, head.size() - got);
      if (n < 0) fail(name + ": " + archive_api::error_string(a));
      if (n == 0) break;
      got += n;
    }
    head.resize(static_cast<size_t>(got));
    size_t first = head.find_first_not_of(" \t\r\n");
    bool jsonish = first != std::string::npos && (head[first] == '{' || head[first] == '[');
    if (size <= kMaxMetadataFile && (is_metadata_name(name) || jsonish || size == 0)) {
      std::string data = head;
      read_all(a, name, [&](const char* p, size_t n) { data.append(p, n); });
      small_[name] = std::move(data);
      return;
    }
    layer(a, name, head);
  }

  void layer(struct archive* a, const std::string& name, const std::string& head) {
    ++stats_.layers;
    auto alias = legacy_alias(name);
    std::optional<Digest> promised = digest_from_name(name);
    if (!promised && alias) promised = cache_.lookup_alias(*alias);
    if (promised && !looks_gzipped(head)) {
      if (auto hit = verified_lookup(*promised)) {
        // Known layer: only hash it, to be sure the archive holds what its name says.
        Sha256 h;
        h.update(head);
        read_all(a, name, [&](const char* p, size_t n) { h.update(p, n); });
        stats_.bytes_read += h.bytes();
        Digest actual = h.finish();
        if (actual != *promised) {
          if (alias && !digest_from_name(name)) {
            cache_.forget_alias(*alias);
            fail(name +
                 ": the layer cache remembered another diff_id for it; the stale entry is "
                 "now removed, run again");
          }
          fail(name + ": content does not match its name (sha256 " + actual.hex() + ")");
        }
        ++stats_.layers_from_cache;
        layers_[name] = {*promised, hit->digest, hit->size, hit->file};
        return;
      }
    }
    fs::path root = cache_.enabled() ? cache_.blobs_root() : layout_.blobs_root();
    BlobWriter blob(root);
    Sha256 diff;
    if (looks_gzipped(head)) {
      // Already compressed: keep the bytes, hash what they decompress to.
      GzipDecompressor gunzip([&](const char* p, size_t n) { diff.update(p, n); });
      auto feed = [&](const char* p, size_t n) {
        blob.write(p, n);
        gunzip.write(p, n);
      };
      feed(head.data(), head.size());
      read_all(a, name, feed);
      gunzip.finish();
    } else {
      GzipCompressor gzip([&](const char* p, size_t n) { blob.write(p, n); }, options_.gzip_level);
      auto feed = [&](const char* p, size_t n) {
        diff.update(p, n);
        gzip.write(p, n);
      };
      feed(head.data(), head.size());
      read_all(a, name, feed);
      gzip.finish();
      ++stats_.layers_compressed;
    }
    stats_.bytes_read += diff.bytes();
    Digest diff_id = diff.finish();
    if (alias) cache_.remember_alias(*alias, diff_id);
    if (auto hit = verified_lookup(diff_id)) {
      // Seen before under another name: keep the cached blob so digests stay stable.
      blob.abort();
      layers_[name] = {diff_id, hit->digest, hit->size, hit->file};
      return;
    }
    int64_t size = static_cast<int64_t>(blob.size());
    Digest digest = blob.commit();
    cache_.remember(diff_id, digest, size);
    layers_[name] = {diff_id, digest, size, blob_file(root, digest)};
  }

  // The cache's compressed blob for `diff_id`, read through and checked first: a damaged
  // one is dropped (and said once), and the layer is compressed again from the archive.
  std::optional<CachedLayer> verified_lookup(const Digest& diff_id) {
    auto hit = cache_.lookup(diff_id);
    if (!hit) return hit;
    try {
      verify_blob_file(hit->file, hit->digest, hit->size);
      return hit;
    } catch (const BlobDigestMismatch& e) {
      std::error_code ec;
      std::filesystem::remove(hit->file, ec);
      stats_.notices.push_back(std::string("cached layer ") + hit->digest.str() + " was damaged (" +
                               e.what() + "): dropped and compressed again");
      return std::nullopt;
    }
  }

  std::string resolve(std::string name) const {
    name = normalize(name);
    for (int hops = 0; hops < 32; ++hops) {
      auto it = links_.find(name);
      if (it == links_.end()) return name;
      name = it->second;
    }
    fail(name + ": symlink loop");
  }

  const std::string& small_file(const std::string& name) const {
    auto it = small_.find(resolve(name));
    if (it == small_.end()) fail("missing " + name);
    return it->second;
  }

  // The config path and layer paths of the chosen image.
  void choose_image(std::string& config_path, std::vector<std::string>& layer_paths) const {
    if (small_.count("manifest.json")) {
      json m = json::parse(small_.at("manifest.json"), nullptr, false);
      if (m.is_discarded() || !m.is_array() || m.empty())
        fail("manifest.json is not a non-empty JSON array");
      const json* chosen = nullptr;
      for (const auto& img : m) {
        if (options_.image.empty()) {
          chosen = &img;
          break;
        }
        for (const auto& t : img.value("RepoTags", json::array()))
          if (t.is_string() && t.get<std::string>() == options_.image) chosen = &img;
        if (chosen) break;
      }
      if (!chosen) fail("no image tagged " + options_.image + " in manifest.json");
      try {
        config_path = chosen->at("Config").get<std::string>();
        layer_paths = chosen->at("Layers").get<std::vector<std::string>>();
      } catch (const json::exception&) {
        fail("manifest.json entry without Config and Layers");
      }
      return;
    }
    if (small_.count("index.json")) {  // a plain OCI archive
      Index index = Index::parse(small_.at("index.json"), where_ + " index.json");
      if (index.manifests.empty()) fail("index.json lists no image");
      Descriptor d = index.manifests[0];
      while (media::is_index(d.media_type)) {
        Index nested = Index::parse(small_file("blobs/sha256/" + d.digest.hex()), where_);
        if (nested.manifests.empty()) fail("empty nested index " + d.digest.str());
        d = nested.manifests[0];
      }
      Manifest m = Manifest::parse(small_file("blobs/sha256/" + d.digest.hex()), where_);
      config_path = "blobs/sha256/" + m.config.digest.hex();
      for (const auto& l : m.layers) layer_paths.push_back("blobs/sha256/" + l.digest.hex());
      return;
    }
    fail("no manifest.json or index.json: not a docker save archive");
  }

  Descriptor assemble() {
    std::string config_path;
    std::vector<std::string> layer_paths;
    choose_image(config_path, layer_paths);
    const std::string& config_bytes = small_file(config_path);
    ImageConfig config = ImageConfig::parse(config_bytes, where_ + " " + config_path);
    auto diff_ids = config.diff_ids();
    if (diff_ids.size() != layer_paths.size())
      fail("image config lists " + std::to_string(diff_ids.size()) + " layers but manifest.json " +
           std::to_string(layer_paths.size()));

    bool docker = options_.docker_media_types;
    Manifest manifest;
    manifest.media_type = docker ? media::kDockerManifest : media::kOciManifest;
    manifest.config =
        layout_.write_blob(config_bytes, docker ? media::kDockerConfig : media::kOciConfig);
    for (size_t i = 0; i < layer_paths.size(); ++i) {
      auto it = layers_.find(resolve(layer_paths[i]));
      if (it == layers_.end()) fail("layer " + layer_paths[i] + " is missing from the archive");
      const ProcessedLayer& l = it->second;
      if (l.diff_id != diff_ids[i])
        fail("layer " + layer_paths[i] + " has diff_id " + l.diff_id.str() +
             " but the image config says " + diff_ids[i].str());
      place_fresh(l.file, layout_.blob_path(l.digest));  // verified or written just now
      Descriptor d;
      d.media_type = docker ? media::kDockerLayerGzip : media::kOciLayerGzip;
      d.digest = l.digest;
      d.size = l.size;
      manifest.layers.push_back(d);
    }
    Descriptor result = layout_.write_blob(manifest.to_json(), manifest.media_type);
    result.platform = config.platform();
    return result;
  }

  const Layout& layout_;
  const LayerCache& cache_;
  const ImportOptions& options_;
  std::string where_;
  std::map<std::string, std::string> small_;
  std::map<std::string, std::string> links_;
  std::map<std::string, ProcessedLayer> layers_;
};

struct ArchiveCloser {
  void operator()(struct archive* a) const { archive_api::read_free(a); }
};

}  // namespace

Descriptor import_docker_archive(const ArchiveReader& read, const Layout& layout,
                                 const LayerCache& cache, const ImportOptions& options,
                                 const std::string& where) {
  std::unique_ptr<struct archive, ArchiveCloser> a(archive_api::read_new());
  archive_api::read_support_format_tar(a.get());
  archive_api::read_support_filter_all(a.get());  // `docker save | gzip` works too
  auto source = std::make_unique<ReaderSource>();
  source->read = &read;
  if (archive_api::read_open(a.get(), source.get(), nullptr, read_source, nullptr) != ARCHIVE_OK)
    throw Error(where + ": cannot read: " +
                (source->error.empty() ? archive_api::error_string(a.get()) : source->error));
  Importer importer(layout, cache, options, where);
  Descriptor d = importer.run(a.get());
  if (options.stats) *options.stats = importer.stats_;
  return d;
}

Descriptor import_docker_archive(std::istream& in, const Layout& layout, const LayerCache& cache,
                                 const ImportOptions& options, const std::string& where) {
  ArchiveReader read = [&in](char* buf, size_t max) {
    in.read(buf, static_cast<std::streamsize>(max));
    if (in.bad()) throw Error("read failed");
    return static_cast<size_t>(in.gcount());
  };
  return import_docker_archive(read, layout, cache, options, where);
}

Descriptor import_docker_archive(const fs::path& archive, const Layout& layout,
                                 const LayerCache& cache, const ImportOptions& options) {
  std::ifstream in(archive, std::ios::binary);
  if (!in) throw Error(archive.string() + ": cannot read");
  return import_docker_archive(in, layout, cache, options, archive.string());
}

}  // namespace lava::oci
