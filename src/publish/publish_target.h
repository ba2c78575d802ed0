// Where `install` puts a payload image and `uninstall` removes it from: a plain OCI
// registry, or Amazon ECR (the default, as the lava framework's config template says).
#pragma once

#include <string>

namespace lava::publish {

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

}  // namespace lava::publish
