// The ECR side of publishing: the repository made to exist (created when missing) with
// push credentials for its registry host, and the repository deleted on uninstall.
#pragma once

#include <functional>
#include <string>

#include "aws/credentials.h"
#include "registry/credentials.h"

namespace lava::publish {

struct EcrOptions {
  aws::ChainOptions aws;     // profile, metadata timeouts
  std::string region;        // empty: aws::resolve_region()
  std::string ecr_endpoint;  // empty: aws::ecr_endpoint(region) (env overrides)
  std::function<void(const std::string&)> notice;
};

struct EcrDestination {
  std::string host;  // "<account>.dkr.ecr.<region>.amazonaws.com"
  registry::Credentials credentials;
  bool created = false;  // the repository did not exist before
};

EcrDestination ecr_prepare_push(const std::string& repository, const std::string& account_id,
                                const EcrOptions& options);

// False when the repository was already gone.
bool ecr_delete_repository(const std::string& repository, const std::string& account_id,
                           const EcrOptions& options);

}  // namespace lava::publish
