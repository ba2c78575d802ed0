#include "registry/client.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "http/network_limits.h"
#include "oci/blob_writer.h"
#include "oci/image_config.h"
#include "oci/media_types.h"
#include "oci/platform_missing.h"
#include "oci/platform_select.h"
#include "util/redact.h"

namespace lava::registry {

namespace fs = std::filesystem;

namespace {

http::ClientOptions http_options(const ClientOptions& o, bool relaxed) {
  http::ClientOptions h;
  h.retry = o.retry;
  http::apply_network_limits(http::network_limits_from_env(), h);
  if (o.connect_timeout.count() > 0) h.connect_timeout = o.connect_timeout;
  h.verify_tls = !relaxed;
  h.on_retry = o.on_retry;
  return h;
}

std::optional<Credentials> credentials_for(const std::string& registry, const ClientOptions& o) {
  if (o.credentials) return o.credentials;
  return find_credentials(registry,
                          o.docker_config.empty() ? docker_config_path() : o.docker_config);
}

std::string content_type(const http::Response& r) {
  std::string t = r.headers.get("Content-Type").value_or("");
  if (auto semi = t.find(';'); semi != std::string::npos) t = t.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t;
}

std::string with_query(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

bool retryable(long status) {
  return status == 0 || http::is_retryable_status(status);
}

// Hashes and counts what passes to the sink, and forgets on reset.
class VerifyingSink : public http::Sink {
 public:
  explicit VerifyingSink(http::Sink& inner) : inner_(inner) {}
  void write(const char* data, size_t n) override {
    hash_->update(data, n);
    inner_.write(data, n);
  }
  bool reset() override {
    hash_ = std::make_unique<oci::Sha256>();
    return inner_.reset();
  }
  uint64_t bytes() const { return hash_->bytes(); }
  oci::Digest finish() { return hash_->finish(); }

 private:
  http::Sink& inner_;
  std::unique_ptr<oci::Sha256> hash_ = std::make_unique<oci::Sha256>();
};

// Reports the bytes of a blob body as they arrive (not those of error bodies or redirects,
// which never reach a sink).
class ProgressSink : public http::Sink {
 public:
  ProgressSink(http::Sink& inner, const DownloadProgress& progress, uint64_t total)
      : inner_(inner), progress_(progress), total_(total) {}
  void write(const char* data, size_t n) override {
    inner_.write(data, n);
    received_ += n;
    progress_(received_, total_);
  }
  bool reset() override {
    if (!inner_.reset()) return false;
    received_ = 0;
    progress_(0, total_);
    return true;
  }

 private:
  http::Sink& inner_;
  const DownloadProgress& progress_;
  uint64_t total_;
  uint64_t received_ = 0;
};

class BlobWriterSink : public http::Sink {
 public:
  explicit BlobWriterSink(const fs::path& root)
      : root_(root), writer_(std::make_unique<oci::BlobWriter>(root)) {}
  void write(const char* data, size_t n) override { writer_->write(data, n); }
  bool reset() override {
    writer_ = std::make_unique<oci::BlobWriter>(root_);
    return true;
  }
  oci::BlobWriter& writer() { return *writer_; }

 private:
  fs::path root_;
  std::unique_ptr<oci::BlobWriter> writer_;
};

}  // namespace

Client::Client(std::string registry, ClientOptions options)
    : registry_(std::move(registry)),
      options_(std::move(options)),
      http_(http_options(options_, options_.insecure || is_loopback_registry(registry_))),
      auth_(http_, registry_, credentials_for(registry_, options_)),
      plain_http_allowed_(options_.insecure || is_loopback_registry(registry_)),
      hints_(options_.scheme_hints) {}

void Client::ping() {
  std::string host = api_host(registry_);
  std::vector<std::string> schemes = {"https"};
  if (plain_http_allowed_) schemes.push_back("http");
  std::string last_error;
  for (size_t i = 0; i < schemes.size(); ++i) {
    std::string base = schemes[i] + "://" + host;
    auto req = http::Request::make("GET", base + "/v2/");
    // With a plain-HTTP fallback, https gets one quick try.
    if (i + 1 < schemes.size()) req.retry = http::RetryPolicy::none();
    http::Response r;
    try {
      r = http_.perform(req);
    } catch (const http::TransportError& e) {
      last_error = e.what();
      continue;
    }
    if (r.status == 200 || r.status == 401) {
      base_url_ = base;
      base_from_hint_ = false;
      auth_.on_ping(r);
      hints_.put(registry_, schemes[i]);
      return;
    }
    throw registry_error(registry_ + ": not an OCI registry (GET /v2/)", r);
  }
  throw Error(registry_ + ": cannot reach the registry: " + last_error +
              (plain_http_allowed_ ? ""
                                   : " (plain HTTP is only tried for loopback registries "
                                     "or with docker.insecure_registry: true)"));
}

const std::string& Client::base_url() {
  if (!base_url_.empty()) return base_url_;
  if (auto scheme = hints_.get(registry_); scheme && (*scheme == "https" || plain_http_allowed_)) {
    base_url_ = *scheme + "://" + api_host(registry_);
    base_from_hint_ = true;
    return base_url_;
  }
  ping();
  return base_url_;
}

http::Response Client::perform_through_hint(http::Request& req, const std::string& path) {
  // One quick try; a transport error or a 400 (a TLS port answering plain HTTP) means the
  // hint is stale: forget it, ping, and send again.
  http::Request quick = req;
  quick.retry = http::RetryPolicy::none();
  base_from_hint_ = false;
  try {
    http::Response r = http_.perform(quick);
    if (r.status != 400) return r;
  } catch (const http::TransportError&) {
  }
  hints_.forget(registry_);
  base_url_.clear();
  ping();
  req.url = url(path);
  if (req.body && !req.body->rewind()) throw Error(registry_ + ": cannot resend a request body");
  if (req.sink && !req.sink->reset()) throw Error(registry_ + ": cannot restart a download");
  return http_.perform(req);
}

http::Response Client::send(http::Request req, const std::vector<std::string>& scopes) {
  const std::string path = req.url.starts_with("/") ? req.url : "";
  if (!path.empty()) req.url = url(path);
  for (int attempt = 0;; ++attempt) {
    if (auto h = auth_.header(scopes)) req.headers.set("Authorization", *h);
    http::Response r =
        base_from_hint_ && !path.empty() ? perform_through_hint(req, path) : http_.perform(req);
    if (r.status != 401 || attempt == 1) return r;
    if (!auth_.on_unauthorized(r, scopes)) return r;
    if (req.body && !req.body->rewind()) return r;
    if (req.sink && !req.sink->reset()) return r;
  }
}

std::optional<int64_t> Client::blob_size(const std::string& repository, const oci::Digest& digest) {
  auto req = http::Request::make("HEAD", "/v2/" + repository + "/blobs/" + digest.str());
  auto r = send(req, {repository_scope(repository, push_repos_.count(repository) > 0)});
  if (r.status == 404) return std::nullopt;
  if (!r.ok()) throw registry_error(where(repository) + ": HEAD blob " + digest.str(), r);
  auto len = r.headers.get("Content-Length");
  return len ? std::stoll(*len) : -1;
}

std::string Client::start_upload(const std::string& repository, const std::string& query,
                                 const std::vector<std::string>& scopes, bool* mounted) {
  std::string path = "/v2/" + repository + "/blobs/uploads/";
  if (!query.empty()) path += "?" + query;
  auto req = http::Request::make("POST", path);
  auto r = send(req, scopes);
  if (r.status == 201 && mounted) {
    *mounted = true;
    return "";
  }
  if (r.status != 202) throw registry_error(where(repository) + ": start blob upload", r);
  auto loc = r.headers.get("Location");
  if (!loc) throw Error(where(repository) + ": blob upload answer without a Location");
  if (mounted) *mounted = false;
  return http::resolve_url(r.url.empty() ? base_url() + path : r.url, *loc);
}

bool Client::mount_blob(const std::string& repository, const oci::Digest& digest,
                        const std::string& from) {
  bool mounted = false;
  std::string location = start_upload(
      repository, "mount=" + http::url_encode(digest.str()) + "&from=" + http::url_encode(from),
      {repository_scope(repository, true), repository_scope(from, false)}, &mounted);
  if (mounted) {
    ++counters_.blobs_mounted;
    return true;
  }
  pending_uploads_[repository + "@" + digest.str()] = location;
  return false;
}

void Client::upload_blob(const std::string& repository, const oci::Descriptor& desc,
                         const fs::path& file, uint64_t chunk_size,
                         const UploadProgress& progress) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec)
    throw Error(file.string() + ": cannot read blob " + desc.digest.str() + ": " + ec.message());
  if (static_cast<int64_t>(size) != desc.size)
    throw Error(file.string() + ": blob " + desc.digest.str() + " is " + std::to_string(size) +
                " bytes, its descriptor says " + std::to_string(desc.size));
  std::mt19937_64 rng(std::random_device{}());
  const std::string key = repository + "@" + desc.digest.str();
  for (int attempt = 1;; ++attempt) {
    try {
      std::string location;
      if (auto it = pending_uploads_.find(key); it != pending_uploads_.end()) {
        location = it->second;
        pending_uploads_.erase(it);
      } else {
        location = start_upload(repository, "", {repository_scope(repository, true)}, nullptr);
      }
      if (chunk_size == 0 || size <= chunk_size)
        upload_monolithic(repository, desc, file, location, progress);
      else
        upload_chunked(repository, desc, file, chunk_size, location, progress);
      ++counters_.blobs_uploaded;
      counters_.bytes_uploaded += size;
      return;
    } catch (const http::TransportError&) {
      if (attempt >= options_.blob_attempts) throw;
    } catch (const RegistryError& e) {
      if (!retryable(e.status()) || attempt >= options_.blob_attempts) throw;
    }
    ++counters_.upload_retries;
    auto delay = http::backoff_delay(options_.retry, attempt, std::nullopt, rng);
    if (options_.on_retry)
      options_.on_retry("upload of " + desc.digest.str() + " to " + where(repository) + " failed",
                        delay);
    std::this_thread::sleep_for(delay);
  }
}

void Client::upload_monolithic(const std::string& repository, const oci::Descriptor& desc,
                               const fs::path& file, std::string location,
                               const UploadProgress& progress) {
  auto req = http::Request::make(
      "PUT", with_query(location, "digest=" + http::url_encode(desc.digest.str())));
  req.headers.set("Content-Type", "application/octet-stream");
  req.body = http::body_from_file(file);
  req.retry = http::RetryPolicy::none();  // a half-sent upload restarts from a new session
  uint64_t total = static_cast<uint64_t>(desc.size);
  if (progress) req.progress = [&](uint64_t sent, uint64_t) { progress(sent, total); };
  auto r = send(req, {repository_scope(repository, true)});
  if (r.status != 201)
    throw registry_error(where(repository) + ": upload blob " + desc.digest.str(), r);
}

void Client::upload_chunked(const std::string& repository, const oci::Descriptor& desc,
                            const fs::path& file, uint64_t chunk_size, std::string location,
                            const UploadProgress& progress) {
  const uint64_t size = static_cast<uint64_t>(desc.size);
  const std::vector<std::string> scopes = {repository_scope(repository, true)};
  std::mt19937_64 rng(std::random_device{}());
  uint64_t offset = 0;
  int resumes = 0;
  while (offset < size) {
    uint64_t n = std::min(chunk_size, size - offset);
    auto req = http::Request::make("PATCH", location);
    req.headers.set("Content-Type", "application/octet-stream");
    req.headers.set("Content-Range", std::to_string(offset) + "-" + std::to_string(offset + n - 1));
    req.body = http::body_from_file(file, offset, n);
    req.retry = http::RetryPolicy::none();
    if (progress) req.progress = [&](uint64_t sent, uint64_t) { progress(offset + sent, size); };
    http::Response r;
    std::string failure;
    try {
      r = send(req, scopes);
    } catch (const http::TransportError& e) {
      failure = e.what();
    }
    if (failure.empty() && r.status == 202) {
      if (auto loc = r.headers.get("Location")) location = http::resolve_url(location, *loc);
      offset += n;
      continue;
    }
    if (failure.empty() && !retryable(r.status) && r.status != 416)
      throw registry_error(where(repository) + ": upload chunk of " + desc.digest.str(), r);
    if (++resumes >= options_.blob_attempts) {
      if (!failure.empty()) throw http::TransportError(failure, 0);
      throw registry_error(where(repository) + ": upload chunk of " + desc.digest.str(), r);
    }
    // Ask how far the registry got, and go on from there.
    std::this_thread::sleep_for(http::backoff_delay(options_.retry, resumes, std::nullopt, rng));
    auto status = send(http::Request::make("GET", location), scopes);
    if (status.status != 204)
      throw registry_error(where(repository) + ": upload status of " + desc.digest.str(), status);
    ++counters_.upload_retries;
    if (auto loc = status.headers.get("Location")) location = http::resolve_url(location, *loc);
    offset = 0;
    if (auto range = status.headers.get("Range")) {
      auto dash = range->find('-');
      if (dash != std::string::npos) {
        uint64_t end = std::stoull(range->substr(dash + 1));
        offset = end > 0 ? end + 1 : 0;
      }
    }
  }
  auto done = http::Request::make(
      "PUT", with_query(location, "digest=" + http::url_encode(desc.digest.str())));
  done.headers.set("Content-Type", "application/octet-stream");
  auto r = send(done, scopes);
  if (r.status != 201)
    throw registry_error(where(repository) + ": finish upload of " + desc.digest.str(), r);
}

oci::Digest Client::put_manifest(const std::string& repository, const std::string& reference,
                                 const std::string& media_type, const std::string& bytes) {
  auto req = http::Request::make("PUT", "/v2/" + repository + "/manifests/" + reference);
  req.headers.set("Content-Type", media_type);
  req.body = http::body_from_string(bytes);
  auto r = send(req, {repository_scope(repository, true)});
  if (r.status != 201 && r.status != 200)
    throw registry_error(where(repository) + ": push manifest " + reference, r);
  oci::Digest digest = oci::sha256_of(bytes);
  if (auto served = r.headers.get("Docker-Content-Digest"); served && oci::Digest::valid(*served) &&
                                                            served->starts_with("sha256:") &&
                                                            *served != digest.str())
    throw Error(where(repository) + ": registry stored manifest " + reference + " as " + *served +
                " but we sent " + digest.str());
  ++counters_.manifests_pushed;
  return digest;
}

FetchedManifest Client::get_manifest(const Reference& ref) {
  auto req = http::Request::make("GET", "/v2/" + ref.repository + "/manifests/" + ref.identifier());
  req.headers.set("Accept", std::string(oci::media::kAcceptAnyManifest));
  auto r = send(req, {repository_scope(ref.repository, push_repos_.count(ref.repository) > 0)});
  if (!r.ok()) throw registry_error(ref.str() + ": get manifest", r);
  FetchedManifest m;
  m.bytes = std::move(r.body);
  m.digest = oci::sha256_of(m.bytes);
  std::string expected = ref.digest;
  if (expected.empty()) expected = r.headers.get("Docker-Content-Digest").value_or("");
  if (!expected.empty() && expected.starts_with("sha256:") && expected != m.digest.str())
    throw Error(ref.str() + ": manifest content does not match digest " + expected + " (got " +
                m.digest.str() + ")");
  m.media_type = content_type(r);
  if (!oci::media::is_index(m.media_type) && !oci::media::is_manifest(m.media_type))
    m.media_type = oci::detect_media_type(m.bytes, ref.str());
  return m;
}

std::optional<oci::Descriptor> Client::head_manifest(const Reference& ref) {
  auto req =
      http::Request::make("HEAD", "/v2/" + ref.repository + "/manifests/" + ref.identifier());
  req.headers.set("Accept", std::string(oci::media::kAcceptAnyManifest));
  auto r = send(req, {repository_scope(ref.repository, push_repos_.count(ref.repository) > 0)});
  if (r.status == 404) return std::nullopt;
  if (!r.ok()) throw registry_error(ref.str() + ": HEAD manifest", r);
  auto digest = r.headers.get("Docker-Content-Digest");
  if (!digest || !oci::Digest::valid(*digest)) {
    // Some registries omit the header on HEAD: fall back to reading it.
    return get_manifest(ref).descriptor();
  }
  auto len = r.headers.get("Content-Length");
  return oci::Descriptor::of(content_type(r), oci::Digest::parse(*digest),
                             len ? std::stoll(*len) : 0);
}

oci::Index Client::get_index(const Reference& ref) {
  FetchedManifest m = get_manifest(ref);
  if (!oci::media::is_index(m.media_type))
    throw Error(ref.str() + ": is a single image (" + m.media_type + "), not an image index");
  return oci::Index::parse(m.bytes, ref.str());
}

oci::Manifest Client::get_image_manifest(const Reference& ref, const oci::Platform& platform,
                                         oci::Descriptor* chosen) {
  FetchedManifest m = get_manifest(ref);
  if (oci::media::is_index(m.media_type)) {
    oci::Descriptor d =
        oci::select_platform(oci::Index::parse(m.bytes, ref.str()), platform, ref.str());
    FetchedManifest child = get_manifest(ref.with_digest(d.digest.str()));
    if (!oci::media::is_manifest(child.media_type))
      throw Error(ref.str() + ": " + d.digest.str() + " is not an image manifest");
    if (chosen) *chosen = child.descriptor();
    if (chosen) chosen->platform = d.platform;
    return oci::Manifest::parse(child.bytes, ref.str() + "@" + d.digest.str());
  }
  oci::Manifest manifest = oci::Manifest::parse(m.bytes, ref.str());
  auto config = oci::ImageConfig::parse(fetch_blob_bytes(ref.repository, manifest.config),
                                        ref.str() + " config");
  if (!config.platform().matches(platform))
    throw oci::PlatformMissing(ref.str() + " has no " + platform.str() + " image (it is a single " +
                               config.platform().str() + " image)");
  if (chosen) {
    *chosen = m.descriptor();
    chosen->platform = config.platform();
  }
  return manifest;
}

void Client::fetch_blob(const std::string& repository, const oci::Descriptor& desc,
                        http::Sink& sink, const DownloadProgress& progress) {
  std::optional<ProgressSink> reported;
  if (progress)
    reported.emplace(sink, progress, static_cast<uint64_t>(std::max<int64_t>(0, desc.size)));
  VerifyingSink verify(reported ? static_cast<http::Sink&>(*reported) : sink);
  auto req = http::Request::make("GET", "/v2/" + repository + "/blobs/" + desc.digest.str());
  req.sink = &verify;
  auto r = send(req, {repository_scope(repository, push_repos_.count(repository) > 0)});
  if (!r.ok()) throw registry_error(where(repository) + ": get blob " + desc.digest.str(), r);
  if (static_cast<int64_t>(verify.bytes()) != desc.size)
    throw Error(where(repository) + ": blob " + desc.digest.str() + " is " +
                std::to_string(verify.bytes()) + " bytes, expected " + std::to_string(desc.size));
  oci::Digest got = verify.finish();
  if (desc.digest.algorithm() == "sha256" && got != desc.digest)
    throw Error(where(repository) + ": blob " + desc.digest.str() + " content has digest " +
                got.str());
}

fs::path Client::fetch_blob_to(const std::string& repository, const oci::Descriptor& desc,
                               const fs::path& blobs_root, const DownloadProgress& progress) {
  fs::path dest = oci::blob_file(blobs_root, desc.digest);
  std::error_code ec;
  if (fs::is_regular_file(dest, ec) && static_cast<int64_t>(fs::file_size(dest, ec)) == desc.size)
    return dest;
  BlobWriterSink sink(blobs_root);
  fetch_blob(repository, desc, sink, progress);
  sink.writer().commit(desc.digest);
  return dest;
}

std::string Client::fetch_blob_bytes(const std::string& repository, const oci::Descriptor& desc) {
  if (desc.size > (64 << 20))
    throw Error(where(repository) + ": blob " + desc.digest.str() + " too large for memory");
  http::StringSink sink;
  fetch_blob(repository, desc, sink);
  return sink.data();
}

bool Client::delete_manifest(const std::string& repository, const oci::Digest& digest) {
  auto req = http::Request::make("DELETE", "/v2/" + repository + "/manifests/" + digest.str());
  auto r = send(req, {"repository:" + repository + ":delete", repository_scope(repository, true)});
  if (r.status == 202 || r.status == 200 || r.status == 204) return true;
  if (r.status == 404) return false;
  if (r.status == 405 || (r.status == 400 && r.body.find("UNSUPPORTED") != std::string::npos))
    throw RegistryError(where(repository) + ": the registry refuses to delete manifests (HTTP " +
                            std::to_string(r.status) +
                            "); for docker-registry set storage.delete.enabled: true",
                        r.status, "UNSUPPORTED");
  throw registry_error(where(repository) + ": delete manifest " + digest.str(), r);
}

std::vector<std::string> Client::list_tags(const std::string& repository) {
  std::vector<std::string> tags;
  std::string next = "/v2/" + repository + "/tags/list?n=1000";
  for (int page = 0; !next.empty() && page < 1000; ++page) {
    auto r = send(http::Request::make("GET", next), {repository_scope(repository, false)});
    if (r.status == 404) return tags;
    if (!r.ok()) throw registry_error(where(repository) + ": list tags", r);
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      throw Error(where(repository) + ": tag list is not JSON");
    if (j.contains("tags") && j["tags"].is_array())
      for (const auto& t : j["tags"])
        if (t.is_string()) tags.push_back(t.get<std::string>());
    next.clear();
    if (auto link = r.headers.get("Link")) {
      auto lt = link->find('<'), gt = link->find('>');
      if (lt != std::string::npos && gt != std::string::npos &&
          link->find("rel=\"next\"") != std::string::npos)
        next = http::resolve_url(r.url.empty() ? base_url() : r.url,
                                 link->substr(lt + 1, gt - lt - 1));
    }
  }
  return tags;
}

Counters Client::counters() const {
  Counters c = counters_;
  c.requests = http_.requests_sent();
  return c;
}

}  // namespace lava::registry
