// The AWS facts templates ask for as lava.aws.* (the framework's jinja helpers): account,
// user, region and ecr_uri. Each is found on first use only, and at most once per process:
// STS GetCallerIdentity for account and user, ECR DescribeRegistry for ecr_uri, the usual
// chains for credentials and region. A failure is remembered too, so it is not retried.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/sts.h"

namespace lava::aws {

class AwsFacts {
 public:
  // "account", "user", "region" or "ecr_uri"; throws lava::Error (one line, no secret).
  std::string get(const std::string& key);

  // How many AWS API calls have been made (for tests: at most one per value).
  int api_calls() const { return api_calls_; }

 private:
  const std::string& region();
  const AwsCredentials& credentials();
  const CallerIdentity& identity();

  template <typename T, typename F>
  const T& once(std::optional<T>& slot, std::optional<std::string>& failure, F make);

  std::optional<std::string> region_, region_error_;
  std::optional<AwsCredentials> creds_;
  std::optional<std::string> creds_error_;
  std::optional<CallerIdentity> identity_;
  std::optional<std::string> identity_error_;
  std::optional<std::string> registry_id_, registry_error_;
  int api_calls_ = 0;
};

}  // namespace lava::aws
