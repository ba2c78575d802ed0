#include "native/base_image.h"

#include <functional>

#include "oci/blob_writer.h"
#include "oci/layout.h"
#include "oci/media_types.h"
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
    throw Error("base image " + name + " has no " + platform.str() + " image (it is a single " +
                actual.str() + " image)");
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

registry::ClientOptions client_options(const BaseImageOptions& options) {
  registry::ClientOptions o;
  o.insecure = options.insecure_registry;
  o.scheme_hints = options.scheme_hints;
  return o;
}

class RegistryBase : public BaseImage {
 public:
  RegistryBase(const std::string& name, const BaseImageOptions& options)
      : name_(name),
        ref_(registry::Reference::parse(name)),
        client_(ref_.registry, client_options(options)),
        cache_(options.blob_cache) {
    try {
      root_manifest_ = client_.get_manifest(ref_);
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot read it from its registry: " + e.what());
    }
  }
  const std::string& name() const override { return name_; }
  const oci::Digest& digest() const override { return root_manifest_.digest; }
  BaseManifest manifest_for(const oci::Platform& platform) override {
    auto read = [&](const oci::Descriptor& d) { return cached_manifest(d); };
    auto config = [&](const oci::Descriptor& d) { return cached_blob(d); };
    return pick(name_, root_manifest_.bytes, root_manifest_.descriptor(), platform, read, config);
  }
  fs::path blob_file(const oci::Descriptor& d) override {
    fs::path p = oci::blob_file(cache_, d.digest);
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (!ec && (d.size < 0 || static_cast<int64_t>(size) == d.size)) return p;
    try {
      return client_.fetch_blob_to(ref_.repository, d, cache_);
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot fetch blob " + d.digest.str() + ": " +
                  e.what());
    }
  }

 private:
  // Content-addressed, so a manifest fetched by digest once can come from the cache.
  std::string cached_manifest(const oci::Descriptor& d) {
    fs::path p = oci::blob_file(cache_, d.digest);
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      std::string bytes = read_file(p);
      if (oci::sha256_of(bytes) == d.digest) return bytes;
    }
    auto m = client_.get_manifest(ref_.with_digest(d.digest.str()));
    oci::BlobWriter w(cache_);
    w.write(m.bytes);
    w.commit(d.digest);
    return m.bytes;
  }
  std::string cached_blob(const oci::Descriptor& d) { return read_file(blob_file(d)); }

  std::string name_;
  registry::Reference ref_;
  registry::Client client_;
  fs::path cache_;
  registry::FetchedManifest root_manifest_;
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

}  // namespace lava::native
