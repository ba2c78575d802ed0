// What `install` and `uninstall` do for one payload image, CLI-free: make sure the target
// repository exists (ECR: DescribeRepositories / CreateRepository, then a push with the
// GetAuthorizationToken credentials to the host in repositoryUri), push the OCI layout;
// and the reverse (ECR: DeleteRepository with force; a plain registry: delete the
// manifests its tags point at).
#pragma once

#include <functional>
#include <string>

#include "aws/credentials.h"
#include "oci/layout.h"
#include "registry/push.h"

namespace lava::aws {

struct PublishTarget {
  enum class Kind { kEcr, kRegistry };
  Kind kind = Kind::kEcr;
  std::string ecr_account_id;  // kEcr: empty means the caller's own registry
  std::string registry;        // kRegistry: "host[:port]"
  std::string repository;      // "<prefix.docker_repo>/<name>"
  std::string tag = "latest";
  bool insecure = false;  // docker.insecure_registry

  // From a docker.registry value ("ecr", "ecr:<account-id>", "host[:port]").
  static PublishTarget parse(const std::string& registry_spec, const std::string& repository,
                             const std::string& tag = "latest", bool insecure = false);
  std::string str() const;  // for messages
};

struct PublishOptions {
  registry::PushOptions push;
  ChainOptions aws;                // profile, metadata timeouts
  std::string region;              // empty: resolve_region()
  std::string ecr_endpoint;        // empty: ecr_endpoint(region) (env overrides)
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

// The cheap checks `install` makes before building anything, so that an unreachable
// registry or missing credentials fail in seconds, not after the build: for ECR, the
// region and credentials resolve and a signed GetAuthorizationToken succeeds; for a
// registry, GET /v2/ answers and a HEAD in `target.repository` is allowed with push rights
// (a 404 is fine: the credentials were accepted). Throws naming the target.
void check_publish_target(const PublishTarget& target, const PublishOptions& options = {});

struct UnpublishResult {
  bool existed = false;  // false: already gone (a notice, not an error)
  int manifests_deleted = 0;
  std::string message;  // one line saying what happened
};

UnpublishResult unpublish(const PublishTarget& target, const PublishOptions& options = {});

}  // namespace lava::aws
