#include "aws/sts.h"

#include <cstdlib>

#include "aws/sigv4.h"
#include "http/client.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::aws {

namespace {

// The text of the first <tag>...</tag> in an STS XML answer ("" when absent). The answers
// are small and flat, so a search is enough; no XML library is needed for three fields.
std::string xml_field(const std::string& xml, const std::string& tag) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  size_t b = xml.find(open);
  if (b == std::string::npos) return "";
  b += open.size();
  size_t e = xml.find(close, b);
  return e == std::string::npos ? "" : xml.substr(b, e - b);
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return redact(s);
}

}  // namespace

std::string sts_endpoint(const std::string& region) {
  for (const char* var : {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
    const char* v = std::getenv(var);
    if (v && *v) {
      std::string e = v;
      while (!e.empty() && e.back() == '/') e.pop_back();
      return e;
    }
  }
  if (region.empty()) return "https://sts.amazonaws.com";
  return "https://sts." + region +
         (region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
}

CallerIdentity get_caller_identity(const AwsCredentials& creds, const std::string& region) {
  const std::string signing_region = region.empty() ? "us-east-1" : region;
  const std::string endpoint = sts_endpoint(region);
  const std::string what = "STS GetCallerIdentity (" + signing_region + ")";
  std::string host, path;
  split_endpoint(endpoint, host, path);
  const std::string body = "Action=GetCallerIdentity&Version=2011-06-15";
  const std::string date = amz_date(std::chrono::system_clock::now());
  SigningInput in;
  in.method = "POST";
  in.path = path;
  in.payload = body;
  in.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                {"Host", host},
                {"X-Amz-Date", date}};
  if (!creds.session_token.empty())
    in.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
  std::string url = endpoint;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/";
  auto req = http::Request::make("POST", url);
  for (const auto& [k, v] : in.headers)
    if (k != "Host") req.headers.set(k, v);
  req.headers.set("Authorization", authorization(in, creds, signing_region, "sts", date));
  req.body = http::body_from_string(body);
  http::Client client;
  http::Response r;
  try {
    r = client.perform(req);
  } catch (const http::TransportError& e) {
    throw Error(what + ": cannot reach " + endpoint + ": " + e.what());
  }
  if (!r.ok()) {
    const std::string code = xml_field(r.body, "Code"), message = xml_field(r.body, "Message");
    if (code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired")
      throw Error(one_line(what + ": the AWS credentials from " + creds.source +
                           " have expired; refresh them (e.g. aws sso login) and retry"));
    if (code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" ||
        code == "UnrecognizedClientException" || code == "InvalidSignatureException")
      throw Error(one_line(what + ": AWS does not recognise the credentials from " + creds.source +
                           " (" + code + ")"));
    throw Error(one_line(what + ": HTTP " + std::to_string(r.status) +
                         (code.empty() ? "" : " " + code) +
                         (message.empty() ? "" : ": " + message)));
  }
  CallerIdentity id;
  id.account = xml_field(r.body, "Account");
  id.arn = xml_field(r.body, "Arn");
  id.user_id = xml_field(r.body, "UserId");
  if (id.account.empty() || id.arn.empty())
    throw Error(what + ": the answer has no Account or Arn");
  return id;
}

}  // namespace lava::aws
