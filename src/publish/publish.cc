#include "publish/publish.h"

#include "util/error.h"

namespace lava::publish {

namespace {

EcrOptions ecr_options(const PublishOptions& o) {
  return EcrOptions{o.aws, o.region, o.ecr_endpoint, o.notice};
}

registry::ClientOptions client_options(const PublishOptions& o, const PublishTarget& target) {
  registry::ClientOptions c = o.client;
  c.insecure = c.insecure || target.insecure;
  return c;
}

}  // namespace

PublishResult publish(const oci::Layout& layout, const PublishTarget& target,
                      const PublishOptions& options, const registry::ProgressCallback& progress) {
  PublishResult result;
  registry::ClientOptions client = client_options(options, target);
  std::string host = target.registry;
  if (target.kind == PublishTarget::Kind::kEcr) {
    EcrDestination dest =
        ecr_prepare_push(target.repository, target.ecr_account_id, ecr_options(options));
    result.repository_created = dest.created;
    client.credentials = dest.credentials;
    host = dest.host;
  }
  auto ref = registry::Reference::parse(host + "/" + target.repository + ":" + target.tag);
  registry::Client registry_client(ref.registry, client);
  result.push = registry::push_layout(registry_client, layout, ref, options.push, progress);
  result.reference = result.push.reference;
  return result;
}

UnpublishResult unpublish(const PublishTarget& target, const PublishOptions& options) {
  UnpublishResult result;
  if (target.kind == PublishTarget::Kind::kEcr) {
    result.existed =
        ecr_delete_repository(target.repository, target.ecr_account_id, ecr_options(options));
    result.message = result.existed ? "deleted ECR repository " + target.repository
                                    : "ECR repository " + target.repository +
                                          " does not exist (already uninstalled)";
    return result;
  }
  registry::Client client(target.registry, client_options(options, target));
  result.manifests_deleted = registry::delete_repository_manifests(client, target.repository);
  result.existed = result.manifests_deleted > 0;
  result.message =
      result.existed
          ? "deleted " + std::to_string(result.manifests_deleted) + " manifest(s) of " +
                target.registry + "/" + target.repository
          : target.registry + "/" + target.repository + " has no tags (already uninstalled)";
  return result;
}

}  // namespace lava::publish
