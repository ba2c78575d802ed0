// What `install` and `uninstall` do for one payload image, CLI-free: make sure the target
// repository exists and push the OCI layout to it (ECR through publish/ecr_backend.h, a
// plain registry as it is); and the reverse (ECR: the repository deleted with force; a
// plain registry: the manifests its tags point at deleted).
#pragma once

#include <functional>
#include <string>

#include "oci/layout.h"
#include "publish/ecr_backend.h"
#include "publish/publish_target.h"
#include "registry/push.h"

namespace lava::publish {

struct PublishOptions {
  registry::PushOptions push;
  aws::ChainOptions aws;           // profile, metadata timeouts
  std::string region;              // empty: aws::resolve_region()
  std::string ecr_endpoint;        // empty: aws::ecr_endpoint(region) (env overrides)
  registry::ClientOptions client;  // retries, docker config (credentials are set for ECR)
  std::function<void(const std::string&)> notice;  // one line for the user
};

struct PublishResult {
  registry::PushResult push;
  std::string reference;  // "host/repo:tag@sha256:..."
  bool repository_created = false;
};

PublishResult publish(const oci::Layout& layout, const PublishTarget& target,
                      const PublishOptions& options = {},
                      const registry::ProgressCallback& progress = {});

struct UnpublishResult {
  bool existed = false;  // false: already gone (a notice, not an error)
  int manifests_deleted = 0;
  std::string message;  // one line saying what happened
};

UnpublishResult unpublish(const PublishTarget& target, const PublishOptions& options = {});

}  // namespace lava::publish
