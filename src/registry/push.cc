#include "registry/push.h"

#include <set>

#include "oci/media_types.h"
#include "util/error.h"

namespace lava::registry {

namespace {

class Pusher {
 public:
  Pusher(Client& client, const oci::Layout& layout, const Reference& target,
         const PushOptions& options, const ProgressCallback& progress)
      : client_(client), layout_(layout), target_(target), options_(options), progress_(progress) {}

  void blob(const oci::Descriptor& d) {
    if (!done_.insert(d.digest.str()).second) return;  // shared by several platforms
    const std::string& repo = target_.repository;
    auto emit = [&](PushEvent::Kind k, uint64_t bytes, const std::string& outcome) {
      if (progress_) progress_({k, d, bytes, outcome});
    };
    if (auto size = client_.blob_size(repo, d.digest)) {
      ++skipped_;
      emit(PushEvent::Kind::kBlobDone, static_cast<uint64_t>(d.size), "exists");
      return;
    }
    // A failed mount opens an upload session, which the upload then uses.
    for (const auto& from : options_.mount_from) {
      if (from == repo) continue;
      if (client_.mount_blob(repo, d.digest, from)) {
        emit(PushEvent::Kind::kBlobDone, static_cast<uint64_t>(d.size), "mounted");
        return;
      }
    }
    if (!layout_.has_blob(d.digest))
      throw Error(layout_.dir().string() + ": blob " + d.digest.str() +
                  " is missing from the layout and from " + target_.name());
    emit(PushEvent::Kind::kBlobStart, 0, "");
    client_.upload_blob(
        repo, d, layout_.blob_path(d.digest), options_.chunk_size,
        [&](uint64_t sent, uint64_t) { emit(PushEvent::Kind::kBlobProgress, sent, ""); });
    emit(PushEvent::Kind::kBlobDone, static_cast<uint64_t>(d.size), "uploaded");
  }

  // Pushes everything `d` needs, then `d` itself under `reference`.
  void node(const oci::Descriptor& d, const std::string& reference) {
    std::string bytes = layout_.read_blob(d.digest);
    std::string type = d.media_type.empty() ? oci::detect_media_type(bytes) : d.media_type;
    if (oci::media::is_index(type)) {
      for (const auto& child : oci::Index::parse(bytes, layout_.dir().string()).manifests)
        node(child, child.digest.str());
    } else if (oci::media::is_manifest(type)) {
      oci::Manifest m = oci::Manifest::parse(bytes, layout_.dir().string() + " " + d.digest.str());
      blob(m.config);
      for (const auto& l : m.layers) {
        if (!l.urls.empty() && !layout_.has_blob(l.digest)) continue;  // foreign layer
        blob(l);
      }
    } else {
      throw Error(layout_.dir().string() + ": " + d.digest.str() + " has media type " + type +
                  ", not a manifest or index");
    }
    client_.put_manifest(target_.repository, reference, type, bytes);
    if (progress_) progress_({PushEvent::Kind::kManifest, d, bytes.size(), reference});
  }

  int skipped_ = 0;

 private:
  Client& client_;
  const oci::Layout& layout_;
  const Reference& target_;
  const PushOptions& options_;
  const ProgressCallback& progress_;
  std::set<std::string> done_;
};

}  // namespace

PushResult push_layout(Client& client, const oci::Layout& layout, const Reference& target,
                       const PushOptions& options, const ProgressCallback& progress) {
  if (target.tag.empty()) throw Error(target.str() + ": a push target needs a tag");
  oci::Descriptor root = layout.root();
  Counters before = client.counters();
  client.will_push_to(target.repository);
  Pusher pusher(client, layout, target, options, progress);
  pusher.node(root, target.tag);  // the tag is written last, after everything it needs
  Counters after = client.counters();
  PushResult r;
  r.digest = root.digest;
  r.media_type = root.media_type;
  r.reference = target.with_tag(target.tag).str() + "@" + root.digest.str();
  r.blobs_uploaded = after.blobs_uploaded - before.blobs_uploaded;
  r.blobs_mounted = after.blobs_mounted - before.blobs_mounted;
  r.blobs_skipped = pusher.skipped_;
  r.bytes_uploaded = after.bytes_uploaded - before.bytes_uploaded;
  r.manifests_pushed = after.manifests_pushed - before.manifests_pushed;
  r.requests = after.requests - before.requests;
  return r;
}

bool delete_tag_manifests(Client& client, const Reference& ref) {
  auto d = client.head_manifest(ref);
  if (!d) return false;
  return client.delete_manifest(ref.repository, d->digest);
}

int delete_repository_manifests(Client& client, const std::string& repository) {
  std::set<std::string> digests;
  int deleted = 0;
  for (const auto& tag : client.list_tags(repository)) {
    Reference ref;
    ref.registry = client.registry();
    ref.repository = repository;
    ref.tag = tag;
    auto d = client.head_manifest(ref);
    if (!d || !digests.insert(d->digest.str()).second) continue;
    if (client.delete_manifest(repository, d->digest)) ++deleted;
  }
  return deleted;
}

}  // namespace lava::registry
