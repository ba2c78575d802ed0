// The Amazon ECR JSON API (the calls install/uninstall need), signed with SigV4.
// Endpoint: AWS_ENDPOINT_URL_ECR, else AWS_ENDPOINT_URL, else
// https://api.ecr.<region>.amazonaws.com.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "http/client.h"
#include "util/error.h"

namespace lava::aws {

// An AWS API error, already turned into one clear line.
class AwsError : public Error {
 public:
  AwsError(const std::string& message, std::string code, long status)
      : Error(message), code_(std::move(code)), status_(status) {}
  const std::string& code() const { return code_; }  // "RepositoryNotFoundException", ...
  long status() const { return status_; }

 private:
  std::string code_;
  long status_;
};

struct EcrRepository {
  std::string name;
  std::string uri;  // "<account>.dkr.ecr.<region>.amazonaws.com/<name>"
  std::string arn;
  std::string registry_id;
};

struct EcrAuthorization {
  std::string username;  // "AWS"
  std::string password;  // registered as a secret
  std::string proxy_endpoint;
  std::optional<std::chrono::system_clock::time_point> expires;
};

// The endpoint for `region` after the SDK's environment overrides.
std::string ecr_endpoint(const std::string& region);

// Turns an AWS error answer into one clear line (exposed for tests).
AwsError aws_error(const std::string& action, const std::string& region,
                   const AwsCredentials& creds, const http::Response& r);

class EcrClient {
 public:
  EcrClient(AwsCredentials creds, std::string region, std::string endpoint = "",
            http::RetryPolicy retry = {});

  // nullopt when the repository does not exist.
  std::optional<EcrRepository> describe_repository(const std::string& name,
                                                   const std::string& registry_id = "");
  EcrRepository create_repository(const std::string& name, const std::string& registry_id = "");
  // Deletes the repository and its images (force). False when it did not exist.
  bool delete_repository(const std::string& name, const std::string& registry_id = "",
                         bool force = true);
  EcrAuthorization get_authorization_token(const std::string& registry_id = "");
  std::string describe_registry();  // the registry (account) id

  // One signed call: the action's JSON answer, or AwsError.
  nlohmann::json call(const std::string& action, const nlohmann::json& request);

  const std::string& region() const { return region_; }
  const std::string& endpoint() const { return endpoint_; }
  uint64_t requests_sent() const { return http_.requests_sent(); }

 private:
  AwsCredentials creds_;
  std::string region_;
  std::string endpoint_;
  http::Client http_;
};

}  // namespace lava::aws
