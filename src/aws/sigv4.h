// AWS Signature Version 4: canonical request, string to sign, signature, Authorization.
// Our own code (not CURLOPT_AWS_SIGV4) so that it can be checked step by step against the
// AWS test suite and so every request, retries included, is signed the same way.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace lava::aws {

struct SigningInput {
  std::string method;
  std::string path;   // decoded path, e.g. "/" or "/a b/../c"; normalised before signing
  std::string query;  // raw query string without '?', e.g. "b=2&a=1"
  std::vector<std::pair<std::string, std::string>> headers;  // all of them are signed
  std::string payload;
};

// Each step, exposed for the test suite.
std::string canonical_uri(const std::string& path);
std::string canonical_query(const std::string& query);
std::string canonical_request(const SigningInput& in, std::string* signed_headers = nullptr);
std::string string_to_sign(const std::string& amz_date, const std::string& scope,
                           const std::string& canonical_request);
std::string signature(const std::string& secret, const std::string& date, const std::string& region,
                      const std::string& service, const std::string& string_to_sign);
// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...". `amz_date` is the
// X-Amz-Date value (YYYYMMDDTHHMMSSZ), which `in` must carry as a header.
std::string authorization(const SigningInput& in, const AwsCredentials& creds,
                          const std::string& region, const std::string& service,
                          const std::string& amz_date);

// "https://h:p/x" → host "h:p" (as curl sends it in Host: no default port), path "/x".
void split_endpoint(const std::string& url, std::string& host, std::string& path);

// "20150830T123600Z" for `t`.
std::string amz_date(std::chrono::system_clock::time_point t);

// Lower-case hex of SHA-256 / HMAC-SHA256.
std::string sha256_hex(const std::string& data);
std::string hmac_sha256(const std::string& key, const std::string& data);  // raw bytes
std::string hex(const std::string& bytes);

}  // namespace lava::aws
