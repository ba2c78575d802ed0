#include "aws/aws_facts.h"

#include "aws/ecr.h"
#include "util/error.h"

namespace lava::aws {

template <typename T, typename F>
const T& AwsFacts::once(std::optional<T>& slot, std::optional<std::string>& failure, F make) {
  if (slot) return *slot;
  if (failure) throw Error(*failure);
  try {
    slot = make();
  } catch (const Error& e) {
    failure = e.what();
    throw;
  }
  return *slot;
}

const std::string& AwsFacts::region() {
  return once(region_, region_error_, [] {
    std::string r = resolve_region();
    if (r.empty())
      throw Error(
          "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS "
          "profile)");
    return r;
  });
}

const AwsCredentials& AwsFacts::credentials() {
  return once(creds_, creds_error_, [] { return resolve_credentials(); });
}

const CallerIdentity& AwsFacts::identity() {
  return once(identity_, identity_error_, [this] {
    const AwsCredentials& c = credentials();
    const std::string& r = region();
    ++api_calls_;
    return get_caller_identity(c, r);
  });
}

std::string AwsFacts::get(const std::string& key) {
  if (key == "region") return region();
  if (key == "account") return identity().account;
  if (key == "user") {
    // As the framework does: the part after the first '/' of the caller's ARN (the user name,
    // or the role name of an assumed role).
    const std::string& arn = identity().arn;
    size_t slash = arn.find('/');
    if (slash == std::string::npos)
      throw Error("the caller " + arn + " has no user or role name (root credentials?)");
    size_t next = arn.find('/', slash + 1);
    return arn.substr(slash + 1, next == std::string::npos ? std::string::npos : next - slash - 1);
  }
  if (key == "ecr_uri") {
    const std::string& id = once(registry_id_, registry_error_, [this] {
      const AwsCredentials& c = credentials();
      EcrClient ecr(c, region());
      ++api_calls_;
      std::string rid = ecr.describe_registry();
      if (rid.empty()) throw Error("ECR DescribeRegistry: the answer has no registryId");
      return rid;
    });
    const std::string& r = region();
    return id + ".dkr.ecr." + r + (r.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
  }
  throw Error("unknown AWS fact '" + key + "'");
}

}  // namespace lava::aws
