#include "aws/ecr.h"

#include <cstdlib>
#include <random>
#include <thread>

#include "aws/sigv4.h"
#include "http/base64.h"
#include "http/network_limits.h"
#include "util/redact.h"

namespace lava::aws {

using nlohmann::json;

namespace {

constexpr const char* kTargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";

bool is_throttling(const std::string& code) {
  return code == "ThrottlingException" || code == "Throttling" ||
         code == "TooManyRequestsException" || code == "RequestLimitExceeded";
}

}  // namespace

std::string ecr_endpoint(const std::string& region) {
  for (const char* var : {"AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL"}) {
    const char* v = std::getenv(var);
    if (v && *v) {
      std::string e = v;
      while (!e.empty() && e.back() == '/') e.pop_back();
      return e;
    }
  }
  std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://api.ecr." + region + suffix;
}

AwsError aws_error(const std::string& action, const std::string& region,
                   const AwsCredentials& creds, const http::Response& r) {
  std::string code, message;
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    code = j.value("__type", "");
    message = j.value("message", j.value("Message", ""));
  }
  if (code.empty()) code = r.headers.get("x-amzn-ErrorType").value_or("");
  if (auto colon = code.find(':'); colon != std::string::npos) code = code.substr(0, colon);
  if (auto hash = code.rfind('#'); hash != std::string::npos) code = code.substr(hash + 1);
  std::string what = "ECR " + action + " (" + region + ")";
  std::string line;
  if (code == "AccessDeniedException" || code == "AccessDenied") {
    line = what + ": access denied for the credentials from " + creds.source +
           (message.empty() ? "" : ": " + message);
  } else if (code == "RepositoryNotFoundException") {
    line = what + ": repository not found" + (message.empty() ? "" : ": " + message);
  } else if (code == "ExpiredTokenException" || code == "ExpiredToken" ||
             code == "RequestExpired") {
    line = what + ": the AWS credentials from " + creds.source +
           " have expired; refresh them (e.g. aws sso login) and retry";
  } else if (code == "UnrecognizedClientException" || code == "InvalidClientTokenId" ||
             code == "InvalidSignatureException" || code == "SignatureDoesNotMatch") {
    line = what + ": AWS does not recognise the credentials from " + creds.source + " (" + code +
           "): wrong keys, or region " + region + " is not enabled for this account";
  } else {
    line = what + ": HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code) +
           (message.empty() ? "" : ": " + message);
  }
  for (auto& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return AwsError(redact(line), code, r.status);
}

EcrClient::EcrClient(AwsCredentials creds, std::string region, std::string endpoint,
                     http::RetryPolicy retry)
    : creds_(std::move(creds)),
      region_(std::move(region)),
      endpoint_(endpoint.empty() ? ecr_endpoint(region_) : std::move(endpoint)),
      http_([&] {
        http::ClientOptions o;
        o.retry = retry;
        http::apply_network_limits(http::network_limits_from_env(), o);
        return o;
      }()) {
  if (region_.empty())
    throw Error(
        "no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or region in the AWS profile)");
}

json EcrClient::call(const std::string& action, const json& request) {
  std::string body = request.dump();
  std::string host, path;
  split_endpoint(endpoint_, host, path);
  std::mt19937_64 rng(std::random_device{}());
  http::RetryPolicy throttle_policy;
  for (int attempt = 1;; ++attempt) {
    // Signed afresh each time so that slow retries never send a stale X-Amz-Date.
    std::string date = amz_date(std::chrono::system_clock::now());
    SigningInput in;
    in.method = "POST";
    in.path = path;
    in.payload = body;
    in.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                  {"Host", host},
                  {"X-Amz-Date", date},
                  {"X-Amz-Target", kTargetPrefix + action}};
    if (!creds_.session_token.empty())
      in.headers.emplace_back("X-Amz-Security-Token", creds_.session_token);
    std::string url = endpoint_;
    if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/";
    auto req = http::Request::make("POST", url);
    for (const auto& [k, v] : in.headers)
      if (k != "Host") req.headers.set(k, v);
    req.headers.set("Authorization", authorization(in, creds_, region_, "ecr", date));
    req.body = http::body_from_string(body);
    http::Response r;
    try {
      r = http_.perform(req);
    } catch (const http::TransportError& e) {
      throw Error("ECR " + action + " (" + region_ + "): cannot reach " + endpoint_ + ": " +
                  e.what());
    }
    if (r.ok()) {
      auto j = json::parse(r.body, nullptr, false);
      if (j.is_discarded()) throw Error("ECR " + action + ": answer is not JSON");
      return j;
    }
    AwsError err = aws_error(action, region_, creds_, r);
    if (!is_throttling(err.code()) || attempt >= throttle_policy.max_attempts) throw err;
    std::this_thread::sleep_for(http::backoff_delay(throttle_policy, attempt, std::nullopt, rng));
  }
}

namespace {
EcrRepository repository_from(const json& j) {
  EcrRepository r;
  r.name = j.value("repositoryName", "");
  r.uri = j.value("repositoryUri", "");
  r.arn = j.value("repositoryArn", "");
  r.registry_id = j.value("registryId", "");
  return r;
}
json with_registry(json req, const std::string& registry_id) {
  if (!registry_id.empty()) req["registryId"] = registry_id;
  return req;
}
}  // namespace

std::optional<EcrRepository> EcrClient::describe_repository(const std::string& name,
                                                            const std::string& registry_id) {
  try {
    json r =
        call("DescribeRepositories", with_registry({{"repositoryNames", {name}}}, registry_id));
    if (!r.contains("repositories") || !r["repositories"].is_array() || r["repositories"].empty())
      return std::nullopt;
    return repository_from(r["repositories"][0]);
  } catch (const AwsError& e) {
    if (e.code() == "RepositoryNotFoundException") return std::nullopt;
    throw;
  }
}

EcrRepository EcrClient::create_repository(const std::string& name,
                                           const std::string& registry_id) {
  json req =
      with_registry({{"repositoryName", name}, {"imageTagMutability", "MUTABLE"}}, registry_id);
  json r = call("CreateRepository", req);
  if (!r.contains("repository")) throw Error("ECR CreateRepository: answer without a repository");
  return repository_from(r["repository"]);
}

bool EcrClient::delete_repository(const std::string& name, const std::string& registry_id,
                                  bool force) {
  try {
    call("DeleteRepository",
         with_registry({{"repositoryName", name}, {"force", force}}, registry_id));
    return true;
  } catch (const AwsError& e) {
    if (e.code() == "RepositoryNotFoundException") return false;
    throw;
  }
}

EcrAuthorization EcrClient::get_authorization_token(const std::string& registry_id) {
  json req = json::object();
  if (!registry_id.empty()) req["registryIds"] = {registry_id};
  json r = call("GetAuthorizationToken", req);
  if (!r.contains("authorizationData") || !r["authorizationData"].is_array() ||
      r["authorizationData"].empty())
    throw Error("ECR GetAuthorizationToken: answer without authorizationData");
  const json& d = r["authorizationData"][0];
  std::string decoded = http::base64_decode(d.value("authorizationToken", ""));
  auto colon = decoded.find(':');
  if (colon == std::string::npos)
    throw Error("ECR GetAuthorizationToken: token is not user:password");
  EcrAuthorization a;
  a.username = decoded.substr(0, colon);
  a.password = decoded.substr(colon + 1);
  add_secret(a.password);
  add_secret(d.value("authorizationToken", ""));
  a.proxy_endpoint = d.value("proxyEndpoint", "");
  if (d.contains("expiresAt") && d["expiresAt"].is_number())
    a.expires = std::chrono::system_clock::time_point(
        std::chrono::seconds(static_cast<int64_t>(d["expiresAt"].get<double>())));
  return a;
}

std::string EcrClient::describe_registry() {
  json r = call("DescribeRegistry", json::object());
  return r.value("registryId", "");
}

}  // namespace lava::aws
