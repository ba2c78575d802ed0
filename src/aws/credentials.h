// AWS credentials and region, found as the AWS SDKs find them:
//   1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
//   2. the profile (AWS_PROFILE, else "default") in ~/.aws/credentials and ~/.aws/config
//      (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE), static keys or credential_process
//   3. the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
//      _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE])
//   4. EC2 instance metadata (IMDSv2; AWS_EC2_METADATA_SERVICE_ENDPOINT,
//      AWS_EC2_METADATA_DISABLED), with short timeouts
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace lava::aws {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string source;  // where they came from, for messages: "environment", "profile dev", ...
  std::optional<std::chrono::system_clock::time_point> expiration;
};

struct ChainOptions {
  std::string profile;                               // empty: AWS_PROFILE, else "default"
  std::chrono::milliseconds metadata_timeout{1000};  // per IMDS / container request
};

// Throws lava::Error with what was tried when nothing yields credentials. Secrets found are
// registered with lava::add_secret.
AwsCredentials resolve_credentials(const ChainOptions& options = {});

// AWS_REGION, AWS_DEFAULT_REGION, the profile's region; "" when none.
std::string resolve_region(const ChainOptions& options = {});

// The profile in effect: options.profile, AWS_PROFILE, or "default".
std::string profile_name(const ChainOptions& options);

// An INI file as the AWS CLI reads it: section → key → value ("" when the file is absent).
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile read_ini(const std::filesystem::path& path);

// Credentials from a credential_process command's JSON output.
AwsCredentials run_credential_process(const std::string& command, const std::string& profile);

}  // namespace lava::aws
