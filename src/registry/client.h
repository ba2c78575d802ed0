// An OCI distribution API client for one registry, over lava::http: auth, blobs (HEAD,
// mount, monolithic and chunked uploads streamed from disk, verified downloads),
// manifests (put, get with platform selection, delete) and tags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/client.h"
#include "oci/descriptor.h"
#include "oci/manifest.h"
#include "registry/auth.h"
#include "registry/credentials.h"
#include "registry/reference.h"
#include "registry/registry_error.h"
#include "registry/scheme_hints.h"

namespace lava::registry {

struct ClientOptions {
  // Allow plain HTTP and unverified TLS for a registry that is not on loopback
  // (docker.insecure_registry). Loopback registries always allow both, as docker does.
  bool insecure = false;
  // Use these instead of looking in the docker config.
  std::optional<Credentials> credentials;
  // The docker config file to read credentials from; empty: docker_config_path().
  std::filesystem::path docker_config;
  http::RetryPolicy retry;
  // Whole-blob attempts when an upload fails midway (each restarts or resumes it).
  int blob_attempts = 4;
  // 0: LAVA_HTTP_CONNECT_TIMEOUT or its default (http/network_limits.h), as every other limit.
  std::chrono::milliseconds connect_timeout{0};
  std::function<void(const std::string& what, std::chrono::milliseconds delay)> on_retry;
  // Where to remember each registry's scheme between processes (see SchemeHints); empty:
  // every new Client pings first.
  std::filesystem::path scheme_hints;
};

// What Client did so far: callers and tests report e.g. "0 blobs uploaded".
struct Counters {
  uint64_t requests = 0;  // HTTP requests sent, retries and token requests included
  int blobs_uploaded = 0;
  int blobs_mounted = 0;
  int blobs_existing = 0;  // HEAD said the registry has it
  uint64_t bytes_uploaded = 0;
  int manifests_pushed = 0;
  int upload_retries = 0;  // blob uploads restarted or resumed after a failure
};

struct FetchedManifest {
  std::string media_type;
  std::string bytes;  // exactly as served: its sha256 is `digest`
  oci::Digest digest;
  oci::Descriptor descriptor() const {
    return oci::Descriptor::of(media_type, digest, static_cast<int64_t>(bytes.size()));
  }
};

// Bytes of one blob sent so far (for progress bars).
using UploadProgress = std::function<void(uint64_t sent, uint64_t total)>;
// Bytes of one blob received so far (back to 0 when a retry starts the transfer again).
using DownloadProgress = std::function<void(uint64_t received, uint64_t total)>;

class Client {
 public:
  explicit Client(std::string registry, ClientOptions options = {});

  const std::string& registry() const { return registry_; }
  // GET /v2/: settles the scheme (https; plain http only where allowed) and the auth scheme.
  void ping();
  // "https://host:port": from the scheme hint when there is one, else pinged.
  const std::string& base_url();

  // The blob's size when the registry has it in `repository`.
  std::optional<int64_t> blob_size(const std::string& repository, const oci::Digest& digest);
  // Tries a cross-repository mount of `digest` from `from` into `repository`; true when
  // mounted. On false an upload session may have been opened and is kept for upload_blob.
  bool mount_blob(const std::string& repository, const oci::Digest& digest,
                  const std::string& from);
  // Uploads `file` as blob `desc` into `repository`: monolithic when chunk_size is 0 or the
  // blob is smaller, else in chunks of chunk_size, resuming after failures.
  void upload_blob(const std::string& repository, const oci::Descriptor& desc,
                   const std::filesystem::path& file, uint64_t chunk_size = 0,
                   const UploadProgress& progress = {});

  // PUT a manifest or index under `reference` (a tag or its digest). Returns its digest.
  oci::Digest put_manifest(const std::string& repository, const std::string& reference,
                           const std::string& media_type, const std::string& bytes);
  // GET a manifest or index, verified against the digest asked for or the one served.
  FetchedManifest get_manifest(const Reference& ref);
  // HEAD: the descriptor (media type, digest, size) of what `ref` points at, nullopt if absent.
  std::optional<oci::Descriptor> head_manifest(const Reference& ref);
  // The index `ref` points at; throws when it is a single image manifest.
  oci::Index get_index(const Reference& ref);
  // The image manifest for `platform`: through the index when `ref` is one, else checking
  // the single image's config platform. Throws naming the reference and the platforms
  // available when it lacks that platform.
  oci::Manifest get_image_manifest(const Reference& ref, const oci::Platform& platform,
                                   oci::Descriptor* chosen = nullptr);

  // Streams a blob into `sink`, checking its size and digest at the end (throwing on a
  // mismatch, so the caller must discard what the sink got).
  void fetch_blob(const std::string& repository, const oci::Descriptor& desc, http::Sink& sink,
                  const DownloadProgress& progress = {});
  // Fetches a blob into `<blobs_root>/sha256/<hex>` (an OCI layout's blobs/ or a cache),
  // atomically and verified; does nothing when the file is already there.
  std::filesystem::path fetch_blob_to(const std::string& repository, const oci::Descriptor& desc,
                                      const std::filesystem::path& blobs_root,
                                      const DownloadProgress& progress = {});
  // A small blob (config) in memory, verified.
  std::string fetch_blob_bytes(const std::string& repository, const oci::Descriptor& desc);

  // DELETE a manifest by digest. False when it was already gone. Throws a clear error when
  // the registry does not allow deletes.
  bool delete_manifest(const std::string& repository, const oci::Digest& digest);
  // Every tag of `repository` (empty when the repository does not exist).
  std::vector<std::string> list_tags(const std::string& repository);

  Counters counters() const;
  http::Client& http() { return http_; }
  // Ask for push (and pull) scope for everything in `repository` from now on.
  void will_push_to(const std::string& repository) { push_repos_.insert(repository); }

 private:
  friend class Pusher;
  http::Response send(http::Request req, const std::vector<std::string>& scopes);
  // The first request through a scheme hint (base_from_hint_); `path` is its URL path.
  http::Response perform_through_hint(http::Request& req, const std::string& path);
  std::string url(const std::string& path) { return base_url() + path; }
  std::string start_upload(const std::string& repository, const std::string& query,
                           const std::vector<std::string>& scopes, bool* mounted);
  void upload_monolithic(const std::string& repository, const oci::Descriptor& desc,
                         const std::filesystem::path& file, std::string location,
                         const UploadProgress& progress);
  void upload_chunked(const std::string& repository, const oci::Descriptor& desc,
                      const std::filesystem::path& file, uint64_t chunk_size, std::string location,
                      const UploadProgress& progress);
  std::string where(const std::string& repository) const { return registry_ + "/" + repository; }

  std::string registry_;
  ClientOptions options_;
  http::Client http_;
  Authenticator auth_;
  std::string base_url_;
  bool plain_http_allowed_ = false;
  SchemeHints hints_;
  bool base_from_hint_ = false;  // until a request through the hinted scheme got an answer
  Counters counters_;
  // Repositories we push to: their requests ask for push scope, so one token serves all.
  std::set<std::string> push_repos_;
  // An upload session left open by a failed mount, per repository and digest.
  std::map<std::string, std::string> pending_uploads_;
};

}  // namespace lava::registry
