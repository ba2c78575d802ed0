#include "registry/registry_base.h"

#include <algorithm>
#include <ctime>

#include "oci/blob_writer.h"
#include "oci/manifest.h"
#include "registry/base_tag_cache.h"
#include "registry/client.h"
#include "registry/reference.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::registry {

namespace fs = std::filesystem;

namespace {

class RegistryBase : public oci::BaseImage {
 public:
  RegistryBase(const std::string& name, const RegistryBaseOptions& options)
      : name_(name), ref_(Reference::parse(name)), options_(options), tags_(options.tag_cache) {
    try {
      resolve();
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot read it from its registry: " + e.what());
    }
  }
  const std::string& name() const override { return name_; }
  const oci::Digest& digest() const override { return root_.digest; }
  oci::BaseManifest manifest_for(const oci::Platform& platform) override {
    auto read = [&](const oci::Descriptor& d) { return manifest_bytes(d.digest); };
    auto config = [&](const oci::Descriptor& d) { return cached_blob(d); };
    return oci::base_manifest_for(name_, root_.bytes, root_.descriptor(), platform, read, config);
  }
  fs::path blob_file(const oci::Descriptor& d) override { return fetched(d, options_.on_fetch); }
  bool discard_blob(const oci::Descriptor& d) override {
    std::error_code ec;
    fs::remove(oci::blob_file(options_.blob_cache, d.digest), ec);
    return true;
  }
  std::optional<int64_t> answered_at() const override { return answered_at_; }

 private:
  // The registry client is made on first use: a rebuild with everything cached never
  // loads libcurl or reads credentials.
  Client& client() {
    if (!client_) {
      ClientOptions o;
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
  // The cached copy of blob `d`, fetched first when there is none, with each step told to
  // `report` when set.
  fs::path fetched(const oci::Descriptor& d, const BlobFetchCallback& report) {
    fs::path p = oci::blob_file(options_.blob_cache, d.digest);
    std::error_code ec;
    // A cached copy is checked (size and digest) by the caller as it stages it; a damaged
    // one is discarded (discard_blob) and asked for again.
    if (fs::is_regular_file(p, ec)) return p;
    try {
      if (!report) return client().fetch_blob_to(ref_.repository, d, options_.blob_cache);
      report({BlobFetchEvent::Kind::kStart, d, 0});
      fs::path file = client().fetch_blob_to(
          ref_.repository, d, options_.blob_cache, [&](uint64_t received, uint64_t) {
            report({BlobFetchEvent::Kind::kProgress, d, received});
          });
      report({BlobFetchEvent::Kind::kDone, d, static_cast<uint64_t>(std::max<int64_t>(0, d.size))});
      return file;
    } catch (const Error& e) {
      throw Error("base image " + name_ + ": cannot fetch blob " + d.digest.str() + ": " +
                  e.what());
    }
  }
  // A config blob, checked against its digest: a damaged cached copy is fetched again.
  std::string cached_blob(const oci::Descriptor& d) {
    std::string bytes = read_file(fetched(d, {}));
    if (oci::sha256_of(bytes) == d.digest) return bytes;
    discard_blob(d);
    bytes = read_file(fetched(d, {}));
    if (oci::sha256_of(bytes) != d.digest)
      throw Error("base image " + name_ + ": config " + d.digest.str() +
                  " does not match its digest");
    return bytes;
  }

  std::string name_;
  Reference ref_;
  RegistryBaseOptions options_;
  BaseTagCache tags_;
  std::optional<Client> client_;
  FetchedManifest root_;
  std::optional<int64_t> answered_at_;
};

}  // namespace

std::unique_ptr<oci::BaseImage> open_registry_base(const std::string& name,
                                                   const RegistryBaseOptions& options) {
  return std::make_unique<RegistryBase>(name, options);
}

std::optional<oci::Digest> known_registry_base_digest(const std::string& name,
                                                      const RegistryBaseOptions& options) {
  auto ref = Reference::parse(name);
  if (!ref.digest.empty()) return oci::Digest::parse(ref.digest);
  if (options.refresh) return open_registry_base(name, options)->digest();
  if (options.tag_cache.empty()) return std::nullopt;
  auto answer = BaseTagCache(options.tag_cache).get(ref.str());
  if (!answer) return std::nullopt;
  return answer->digest;
}

}  // namespace lava::registry
