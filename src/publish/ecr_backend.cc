#include "publish/ecr_backend.h"

#include "aws/ecr.h"
#include "util/error.h"

namespace lava::publish {

namespace {

aws::EcrClient ecr_client(const EcrOptions& o) {
  std::string region = o.region.empty() ? aws::resolve_region(o.aws) : o.region;
  if (region.empty())
    throw Error(
        "no AWS region for ECR: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS "
        "profile)");
  return aws::EcrClient(aws::resolve_credentials(o.aws), region, o.ecr_endpoint);
}

// "123.dkr.ecr.r.amazonaws.com/name" → its registry host.
std::string host_of_uri(const std::string& uri) {
  return uri.substr(0, uri.find('/'));
}

}  // namespace

EcrDestination ecr_prepare_push(const std::string& repository, const std::string& account_id,
                                const EcrOptions& options) {
  EcrDestination out;
  aws::EcrClient ecr = ecr_client(options);
  auto repo = ecr.describe_repository(repository, account_id);
  if (!repo) {
    repo = ecr.create_repository(repository, account_id);
    out.created = true;
    if (options.notice) options.notice("created ECR repository " + repo->uri);
  }
  if (repo->uri.empty()) throw Error("ECR repository " + repository + " has no repositoryUri");
  auto auth = ecr.get_authorization_token(account_id);
  out.credentials = registry::Credentials{auth.username, auth.password, "", ""};
  out.host = host_of_uri(repo->uri);
  return out;
}

bool ecr_delete_repository(const std::string& repository, const std::string& account_id,
                           const EcrOptions& options) {
  return ecr_client(options).delete_repository(repository, account_id, true);
}

}  // namespace lava::publish
