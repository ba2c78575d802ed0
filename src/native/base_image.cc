#include "native/base_image.h"

#include <ctime>
#include <functional>
#include <optional>

#include "native/base_tag_cache.h"
#include "oci/blob_writer.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "oci/platform_missing.h"
#include "registry/client.h"
#include "registry/reference.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// Manifest bytes → the image manifest for `platform`, through an index when it is one.
// `read` fetches a manifest or index blob by descriptor.
using BlobReader = std::function<std::string(const oci::Descriptor&)>;

BaseManifest pick(const std::string& name, const std::string& bytes, const oci::Descriptor& root,
                  const oci::Platform& platform, const BlobReader& read,
                  const BlobReader& config_bytes) {
  std::string type =
      root.media_type.empty() ? oci::detect_media_type(bytes, name) : root.media_type;
  BaseManifest out;
  if (oci::media::is_index(type)) {
    oci::Descriptor chosen =
        registry::select_platform(oci::Index::parse(bytes, name), platform, "base image " + name);
    std::string child = read(chosen);
    std::string child_type = oci::detect_media_type(child, name + "@" + chosen.digest.str());
    if (oci::media::is_index(child_type))
      throw Error("base image " + name + ": nested indexes are not supported");
    out.descriptor = chosen;
    out.manifest = oci::Manifest::parse(child, name + "@" + chosen.digest.str());
  } else {
    out.descriptor = root;
    out.manifest = oci::Manifest::parse(bytes, name);
  }
  out.config = oci::ImageConfig::parse(config_bytes(out.manifest.config), name + " config");
  oci::Platform actual = out.config.platform();
  if (!actual.matches(platform))
    throw oci::PlatformMissing("base image " + name + " has no " + platform.str() +
                               " image (it is a single " + actual.str() + " image)");
  if (!out.descriptor.platform) out.descriptor.platform = actual;
  return out;
}

class LayoutBase : public BaseImage {
 public:
  LayoutBase(std::string name, const fs::path& dir, const std::string& tag)
      : name_(std::move(name)), layout_(oci::Layout::open(dir)) {
    oci::Index index = layout_.read_index();
    std::vector<oci::Descriptor> found;
    for (const auto& d : index.manifests) {
      auto ref = d.annotations.find(oci::kRefNameAnnotation);
      if (tag.empty() || (ref != d.annotations.end() && ref->second == tag)) found.push_back(d);
    }
    if (found.empty())
      throw Error("base image " + name_ + ": " + dir.string() + " has no image tagged '" + tag +
                  "'");
    if (found.size() > 1)
      throw Error("base image " + name_ + ": " + dir.string() + " has " +
                  std::to_string(found.size()) + " images; name one as oci:PATH:TAG");
    root_ = found[0];
  }
  const std::string& name() const override { return name_; }
  const oci::Digest& digest() const override { return root_.digest; }
  BaseManifest manifest_for(const oci::Platform& platform) override {
    auto read = [&](const oci::Descriptor& d) { return layout_.read_blob(d.digest); };
    return pick(name_, layout_.read_blob(root_.digest), root_, platform, read, read);
  }
  fs::path blob_file(const oci::Descriptor& d) override {
    fs::path p = layout_.blob_path(d.digest);
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec)
      throw Error("base image " + name_ + ": blob " + d.digest.str() + " is missing from " +
                  layout_.dir().string());
    if (d.size >= 0 && static_cast<int64_t>(size) != d.size)
      throw Error("base image " + name_ + ": blob " + d.digest.str() + " has " +
                  std::to_string(size) + " bytes, expected " + std::to_string(d.size));
    return p;
  }

 private:
  std::string name_;
  oci::Layout layout_;
  oci::Descriptor root_;
};

class RegistryBase : public BaseImage {
 public:
  RegistryBase(const std::string& name, const BaseImageOptions& options)
      : name_(name),
        ref_(registry::Reference::parse(name)),
        options_(options),
        tags_(options.tag_cache) {
    try {
      resolve();
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot read it from its registry: " + e.what());
    }
  }
  const std::string& name() const override { return name_; }
  const oci::Digest& digest() const override { return root_.digest; }
  BaseManifest manifest_for(const oci::Platform& platform) override {
    auto read = [&](const oci::Descriptor& d) { return manifest_bytes(d.digest); };
    auto config = [&](const oci::Descriptor& d) { return cached_blob(d); };
    return pick(name_, root_.bytes, root_.descriptor(), platform, read, config);
  }
  fs::path blob_file(const oci::Descriptor& d) override {
    fs::path p = oci::blob_file(options_.blob_cache, d.digest);
    std::error_code ec;
    // A cached copy is checked (size and digest) by the caller as it stages it; a damaged
    // one is discarded (discard_blob) and asked for again.
    if (fs::is_regular_file(p, ec)) return p;
    try {
      return client().fetch_blob_to(ref_.repository, d, options_.blob_cache);
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot fetch blob " + d.digest.str() + ": " +
                  e.what());
    }
  }
  bool discard_blob(const oci::Descriptor& d) override {
    std::error_code ec;
    fs::remove(oci::blob_file(options_.blob_cache, d.digest), ec);
    return true;
  }
  std::optional<int64_t> answered_at() const override { return answered_at_; }

 private:
  // The registry client is made on first use: a rebuild with everything cached never
  // loads libcurl or reads credentials.
  registry::Client& client() {
    if (!client_) {
      registry::ClientOptions o;
      o.insecure = options_.insecure_registry;
      o.scheme_hints = options_.scheme_hints;
      client_.emplace(ref_.registry, o);
    }
    return *client_;
  }

  void resolve() {
    if (!ref_.digest.empty()) {  // name@sha256:...: nothing to ask about the name itself
      root_.digest = oci::Digest::parse(ref_.digest);
      root_.bytes = manifest_bytes(root_.digest, &root_.media_type);
      return;
    }
    const std::string key = ref_.str();
    if (!options_.refresh && !options_.tag_cache.empty()) {
      if (auto answer = tags_.get(key)) {
        if (auto bytes = cached_bytes(answer->digest)) {
          root_ = {answer->media_type, std::move(*bytes), answer->digest};
          answered_at_ = answer->asked_at;
          return;
        }
      }
    }
    root_ = client().get_manifest(ref_);
    keep(root_.bytes, root_.digest);
    if (!options_.tag_cache.empty())
      tags_.put(key, {root_.digest, root_.media_type, static_cast<int64_t>(std::time(nullptr))});
  }

  std::optional<std::string> cached_bytes(const oci::Digest& digest) const {
    fs::path p = oci::blob_file(options_.blob_cache, digest);
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return std::nullopt;
    std::string bytes = read_file(p);
    if (oci::sha256_of(bytes) != digest) return std::nullopt;
    return bytes;
  }

  void keep(const std::string& bytes, const oci::Digest& digest) {
    oci::BlobWriter w(options_.blob_cache);
    w.write(bytes);
    w.commit(digest);
  }

  // Content-addressed, so a manifest fetched by digest once can come from the cache.
  std::string manifest_bytes(const oci::Digest& digest, std::string* media_type = nullptr) {
    if (auto bytes = cached_bytes(digest)) {
      if (media_type) *media_type = oci::detect_media_type(*bytes, name_);
      return *bytes;
    }
    auto m = client().get_manifest(ref_.with_digest(digest.str()));
    keep(m.bytes, digest);
    if (media_type) *media_type = m.media_type;
    return m.bytes;
  }
  // A config blob, checked against its digest: a damaged cached copy is fetched again.
  std::string cached_blob(const oci::Descriptor& d) {
    std::string bytes = read_file(blob_file(d));
    if (oci::sha256_of(bytes) == d.digest) return bytes;
    discard_blob(d);
    bytes = read_file(blob_file(d));
    if (oci::sha256_of(bytes) != d.digest)
      throw Error("base image " + name_ + ": config " + d.digest.str() +
                  " does not match its digest");
    return bytes;
  }

  std::string name_;
  registry::Reference ref_;
  BaseImageOptions options_;
  BaseTagCache tags_;
  std::optional<registry::Client> client_;
  registry::FetchedManifest root_;
  std::optional<int64_t> answered_at_;
};

}  // namespace

bool parse_oci_name(const std::string& name, std::string& path, std::string& tag) {
  if (name.rfind("oci:", 0) != 0) return false;
  std::string rest = name.substr(4);
  auto colon = rest.find(':');
  path = rest.substr(0, colon);
  tag = colon == std::string::npos ? "" : rest.substr(colon + 1);
  return true;
}

std::unique_ptr<BaseImage> open_base_image(const std::string& name,
                                           const BaseImageOptions& options) {
  std::string path, tag;
  if (parse_oci_name(name, path, tag)) {
    if (path.empty()) throw Error("base image " + name + ": no layout path after oci:");
    fs::path dir = path;
    if (dir.is_relative() && !options.relative_to.empty()) dir = options.relative_to / dir;
    try {
      return std::make_unique<LayoutBase>(name, dir, tag);
    } catch (const Error& e) {
      std::string what = e.what();
      if (what.rfind("base image ", 0) == 0) throw;
      throw Error("base image " + name + ": " + what);
    }
  }
  return std::make_unique<RegistryBase>(name, options);
}

std::optional<oci::Digest> known_base_digest(const std::string& name,
                                             const BaseImageOptions& options) {
  std::string path, tag;
  if (parse_oci_name(name, path, tag)) return open_base_image(name, options)->digest();
  auto ref = registry::Reference::parse(name);
  if (!ref.digest.empty()) return oci::Digest::parse(ref.digest);
  if (options.refresh) return open_base_image(name, options)->digest();
  if (options.tag_cache.empty()) return std::nullopt;
  auto answer = BaseTagCache(options.tag_cache).get(ref.str());
  if (!answer) return std::nullopt;
  return answer->digest;
}

}  // namespace lava::native
