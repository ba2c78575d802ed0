#include "aws/credentials.h"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/subprocess.h"

namespace lava::aws {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

fs::path home() {
  return fs::path(env("HOME"));
}

fs::path credentials_file() {
  std::string f = env("AWS_SHARED_CREDENTIALS_FILE");
  return f.empty() ? home() / ".aws" / "credentials" : fs::path(f);
}

fs::path config_file() {
  std::string f = env("AWS_CONFIG_FILE");
  return f.empty() ? home() / ".aws" / "config" : fs::path(f);
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

AwsCredentials remember(AwsCredentials c) {
  add_secret(c.secret_access_key);
  add_secret(c.session_token);
  return c;
}

// "2026-11-24T10:00:00Z" (RFC 3339, UTC).
std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& s) {
  std::tm tm{};
  if (s.size() < 19 || !strptime(s.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
    return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

AwsCredentials from_json(const json& j, const std::string& source, const char* token_key) {
  AwsCredentials c;
  c.access_key_id = j.value("AccessKeyId", "");
  c.secret_access_key = j.value("SecretAccessKey", "");
  c.session_token = j.value(token_key, "");
  c.source = source;
  if (j.contains("Expiration") && j["Expiration"].is_string())
    c.expiration = parse_time(j["Expiration"].get<std::string>());
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    throw Error(source + ": answer without AccessKeyId/SecretAccessKey");
  return remember(c);
}

// The merged settings of `profile` from both files (credentials file wins for keys).
std::map<std::string, std::string> profile_settings(const std::string& profile, bool* found) {
  std::map<std::string, std::string> out;
  IniFile config = read_ini(config_file());
  std::string section = profile == "default" ? "default" : "profile " + profile;
  *found = false;
  for (const auto& name : {section, profile}) {
    if (auto it = config.find(name); it != config.end()) {
      *found = true;
      for (const auto& [k, v] : it->second) out[k] = v;
      break;
    }
  }
  IniFile creds = read_ini(credentials_file());
  if (auto it = creds.find(profile); it != creds.end()) {
    *found = true;
    for (const auto& [k, v] : it->second) out[k] = v;
  }
  return out;
}

std::optional<AwsCredentials> from_profile(const std::string& profile, bool explicit_profile) {
  bool found = false;
  auto s = profile_settings(profile, &found);
  if (!found) {
    if (explicit_profile)
      throw Error("AWS profile \"" + profile + "\" not found in " + credentials_file().string() +
                  " or " + config_file().string());
    return std::nullopt;
  }
  std::string source = "profile " + profile;
  if (!s["aws_access_key_id"].empty()) {
    if (s["aws_secret_access_key"].empty())
      throw Error("AWS " + source + " has aws_access_key_id but no aws_secret_access_key");
    AwsCredentials c{
        s["aws_access_key_id"], s["aws_secret_access_key"], s["aws_session_token"], source, {}};
    return remember(c);
  }
  if (!s["credential_process"].empty())
    return run_credential_process(s["credential_process"], profile);
  if (!s["role_arn"].empty() || !s["sso_session"].empty() || !s["sso_start_url"].empty())
    throw Error("AWS " + source + " uses " + (s["role_arn"].empty() ? "SSO" : "role_arn") +
                ", which lava-docker does not resolve itself; add to it: credential_process = aws "
                "configure export-credentials --profile " +
                profile + " --format process");
  if (explicit_profile) throw Error("AWS " + source + " has no credentials");
  return std::nullopt;
}

std::optional<AwsCredentials> from_container(const ChainOptions& o) {
  std::string url;
  if (std::string rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty())
    url = "http://169.254.170.2" + rel;
  else
    url = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (url.empty()) return std::nullopt;
  std::string token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (std::string file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty())
    token = trim(read_file(file));
  http::ClientOptions ho;
  ho.connect_timeout = o.metadata_timeout;
  ho.retry.max_attempts = 3;
  ho.retry.initial_delay = std::chrono::milliseconds(100);
  http::Client client(ho);
  auto req = http::Request::make("GET", url);
  req.timeout = o.metadata_timeout * 3;
  if (!token.empty()) {
    add_secret(token);
    req.headers.set("Authorization", token);
  }
  http::Response r;
  try {
    r = client.perform(req);
  } catch (const http::TransportError& e) {
    throw Error("container credentials endpoint " + redact(url) + " unreachable: " + e.what());
  }
  if (!r.ok())
    throw Error("container credentials endpoint " + redact(url) + " answered HTTP " +
                std::to_string(r.status));
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error("container credentials endpoint: answer is not JSON");
  return from_json(j, "container credentials endpoint", "Token");
}

std::string imds_endpoint() {
  std::string e = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (e.empty()) e = "http://169.254.169.254";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

bool imds_disabled() {
  std::string v = env("AWS_EC2_METADATA_DISABLED");
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "true";
}

// GET an IMDS path with a fresh session token; nullopt when IMDS is not there.
std::optional<std::string> imds_get(http::Client& client, const std::string& path,
                                    const ChainOptions& o, std::string& token) {
  std::string base = imds_endpoint();
  if (token.empty()) {
    auto put = http::Request::make("PUT", base + "/latest/api/token");
    put.headers.set("X-aws-ec2-metadata-token-ttl-seconds", "21600");
    put.timeout = o.metadata_timeout * 2;
    http::Response r;
    try {
      r = client.perform(put);
    } catch (const http::TransportError&) {
      return std::nullopt;
    }
    if (!r.ok()) return std::nullopt;
    token = trim(r.body);
    add_secret(token);
  }
  auto get = http::Request::make("GET", base + path);
  get.headers.set("X-aws-ec2-metadata-token", token);
  get.timeout = o.metadata_timeout * 2;
  http::Response r;
  try {
    r = client.perform(get);
  } catch (const http::TransportError&) {
    return std::nullopt;
  }
  if (!r.ok()) return std::nullopt;
  return r.body;
}

std::optional<AwsCredentials> from_imds(const ChainOptions& o) {
  if (imds_disabled()) return std::nullopt;
  http::ClientOptions ho;
  ho.connect_timeout = o.metadata_timeout;
  ho.retry = http::RetryPolicy::none();
  http::Client client(ho);
  std::string token;
  auto roles = imds_get(client, "/latest/meta-data/iam/security-credentials/", o, token);
  if (!roles) return std::nullopt;
  std::string role = trim(roles->substr(0, roles->find('\n')));
  if (role.empty()) throw Error("EC2 instance metadata: the instance has no IAM role attached");
  auto body = imds_get(client, "/latest/meta-data/iam/security-credentials/" + role, o, token);
  if (!body) throw Error("EC2 instance metadata: cannot read the credentials of role " + role);
  auto j = json::parse(*body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error("EC2 instance metadata: credentials are not JSON");
  return from_json(j, "EC2 instance role " + role, "Token");
}

}  // namespace

IniFile read_ini(const fs::path& path) {
  IniFile out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) continue;  // nested sub-settings
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = trim(t.substr(1, t.size() - 2));
      out[section];
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos || section.empty()) continue;
    out[section][trim(t.substr(0, eq))] = trim(t.substr(eq + 1));
  }
  return out;
}

AwsCredentials run_credential_process(const std::string& command, const std::string& profile) {
  auto r = run_process({"/bin/sh", "-c", command}, "", std::chrono::seconds(120));
  std::string where = "credential_process of AWS profile " + profile;
  if (r.exit_status != 0) {
    std::string err = trim(r.err);
    throw Error(where + " failed (exit " + std::to_string(r.exit_status) + ")" +
                (err.empty() ? "" : ": " + redact(err.substr(0, 300))));
  }
  auto j = json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(where + ": output is not a JSON object");
  if (j.value("Version", 0) != 1) throw Error(where + ": output Version must be 1");
  return from_json(j, "profile " + profile + " (credential_process)", "SessionToken");
}

std::string profile_name(const ChainOptions& o) {
  if (!o.profile.empty()) return o.profile;
  std::string p = env("AWS_PROFILE");
  return p.empty() ? "default" : p;
}

AwsCredentials resolve_credentials(const ChainOptions& o) {
  std::string id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
  if (!id.empty() && !secret.empty())
    return remember({id, secret, env("AWS_SESSION_TOKEN"), "environment (AWS_ACCESS_KEY_ID)", {}});
  if (!id.empty()) throw Error("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  std::string profile = profile_name(o);
  bool explicit_profile = !o.profile.empty() || !env("AWS_PROFILE").empty();
  if (auto c = from_profile(profile, explicit_profile)) return *c;
  if (auto c = from_container(o)) return *c;
  if (auto c = from_imds(o)) return *c;
  throw Error(
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
      "AWS_PROFILE with a profile in " +
      credentials_file().string() + " or " + config_file().string() +
      " (not in a container with a credentials endpoint, not "
      "on EC2 with an instance role)");
}

std::string resolve_region(const ChainOptions& o) {
  if (std::string r = env("AWS_REGION"); !r.empty()) return r;
  if (std::string r = env("AWS_DEFAULT_REGION"); !r.empty()) return r;
  bool found = false;
  auto s = profile_settings(profile_name(o), &found);
  if (!s["region"].empty()) return s["region"];
  return "";
}

}  // namespace lava::aws
