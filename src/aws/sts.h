// AWS STS GetCallerIdentity (Query protocol, signed with SigV4): who the credentials are.
// Endpoint: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the regional
// https://sts.<region>.amazonaws.com (the global endpoint, signed for us-east-1, when no
// region is set).
#pragma once

#include <string>

#include "aws/credentials.h"

namespace lava::aws {

struct CallerIdentity {
  std::string account;  // "123456789012"
  std::string arn;      // "arn:aws:iam::123456789012:user/fred"
  std::string user_id;
};

std::string sts_endpoint(const std::string& region);

// Throws lava::Error (one line, no secret) when the call fails or is refused.
CallerIdentity get_caller_identity(const AwsCredentials& creds, const std::string& region);

}  // namespace lava::aws
