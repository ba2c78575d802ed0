#include "aws/publish.h"

#include "aws/ecr.h"
#include "util/error.h"

namespace lava::aws {

PublishTarget PublishTarget::parse(const std::string& spec, const std::string& repository,
                                   const std::string& tag, bool insecure) {
  PublishTarget t;
  t.repository = repository;
  t.tag = tag;
  t.insecure = insecure;
  if (spec.empty() || spec == "ecr") {
    t.kind = Kind::kEcr;
  } else if (spec.starts_with("ecr:")) {
    t.kind = Kind::kEcr;
    t.ecr_account_id = spec.substr(4);
  } else {
    t.kind = Kind::kRegistry;
    t.registry = spec;
  }
  return t;
}

std::string PublishTarget::str() const {
  if (kind == Kind::kRegistry) return registry + "/" + repository + ":" + tag;
  return "ECR" + (ecr_account_id.empty() ? std::string() : " " + ecr_account_id) + " " +
         repository + ":" + tag;
}

namespace {

EcrClient ecr_client(const PublishOptions& o) {
  std::string region = o.region.empty() ? resolve_region(o.aws) : o.region;
  if (region.empty())
    throw Error(
        "no AWS region for ECR: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS "
        "profile)");
  return EcrClient(resolve_credentials(o.aws), region, o.ecr_endpoint);
}

// "123.dkr.ecr.r.amazonaws.com/name" → its registry host.
std::string host_of_uri(const std::string& uri) {
  return uri.substr(0, uri.find('/'));
}

}  // namespace

PublishResult publish(const oci::Layout& layout, const PublishTarget& target,
                      const PublishOptions& options, const registry::ProgressCallback& progress) {
  PublishResult result;
  registry::ClientOptions client_options = options.client;
  client_options.insecure = client_options.insecure || target.insecure;
  std::string host;
  if (target.kind == PublishTarget::Kind::kEcr) {
    EcrClient ecr = ecr_client(options);
    auto repo = ecr.describe_repository(target.repository, target.ecr_account_id);
    if (!repo) {
      repo = ecr.create_repository(target.repository, target.ecr_account_id);
      result.repository_created = true;
      if (options.notice) options.notice("created ECR repository " + repo->uri);
    }
    if (repo->uri.empty())
      throw Error("ECR repository " + target.repository + " has no repositoryUri");
    auto auth = ecr.get_authorization_token(target.ecr_account_id);
    client_options.credentials = registry::Credentials{auth.username, auth.password, "", ""};
    host = host_of_uri(repo->uri);
  } else {
    host = target.registry;
  }
  auto ref = registry::Reference::parse(host + "/" + target.repository + ":" + target.tag);
  registry::Client client(ref.registry, client_options);
  result.push = registry::push_layout(client, layout, ref, options.push, progress);
  result.reference = result.push.reference;
  return result;
}

void check_publish_target(const PublishTarget& target, const PublishOptions& options) {
  try {
    if (target.kind == PublishTarget::Kind::kEcr) {
      EcrClient ecr = ecr_client(options);
      ecr.get_authorization_token(target.ecr_account_id);
      return;
    }
    registry::ClientOptions client_options = options.client;
    client_options.insecure = client_options.insecure || target.insecure;
    registry::Client client(target.registry, client_options);
    client.will_push_to(target.repository);
    client.blob_size(target.repository, oci::sha256_of(""));
  } catch (const Error& e) {
    throw Error("cannot publish to " + target.str() + ": " + e.what() +
                " (checked before building; nothing was built or pushed)");
  }
}

UnpublishResult unpublish(const PublishTarget& target, const PublishOptions& options) {
  UnpublishResult result;
  if (target.kind == PublishTarget::Kind::kEcr) {
    EcrClient ecr = ecr_client(options);
    result.existed = ecr.delete_repository(target.repository, target.ecr_account_id, true);
    result.message = result.existed ? "deleted ECR repository " + target.repository
                                    : "ECR repository " + target.repository +
                                          " does not exist (already uninstalled)";
    return result;
  }
  registry::ClientOptions client_options = options.client;
  client_options.insecure = client_options.insecure || target.insecure;
  registry::Client client(target.registry, client_options);
  result.manifests_deleted = registry::delete_repository_manifests(client, target.repository);
  result.existed = result.manifests_deleted > 0;
  result.message =
      result.existed
          ? "deleted " + std::to_string(result.manifests_deleted) + " manifest(s) of " +
                target.registry + "/" + target.repository
          : target.registry + "/" + target.repository + " has no tags (already uninstalled)";
  return result;
}

}  // namespace lava::aws
