#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/file_io.h"
#include "util/subprocess.h"

using namespace lava::aws;
using nlohmann::json;

namespace {

json load_suite() {
  const char* src = std::getenv("LAVA_SOURCE_DIR");
  std::string script = std::string(src ? src : ".") + "/src/aws/testdata/fetch_sigv4_suite.sh";
  auto r = lava::run_process({"sh", script}, "", std::chrono::seconds(120));
  if (r.exit_status != 0)
    throw std::runtime_error("cannot fetch the SigV4 suite with npm: " + r.err);
  std::string path = r.out.substr(0, r.out.find('\n'));
  return json::parse(lava::read_file(path));
}

SigningInput input_of(const json& request) {
  SigningInput in;
  in.method = request["method"];
  in.path = request["path"];
  in.query = request["query"];
  for (const auto& h : request["headers"]) in.headers.emplace_back(h[0], h[1]);
  in.payload = request["body"];
  return in;
}

std::string header(const SigningInput& in, const std::string& name) {
  for (const auto& [k, v] : in.headers)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST(SigV4, AwsTestSuite) {
  json suite = load_suite();
  const json& config = suite["config"];
  AwsCredentials creds{config["accessKeyId"], config["secretAccessKey"], "", "suite", {}};
  std::string region = config["region"], service = config["service"];
  int checked = 0, inconsistent = 0;
  for (const auto& t : suite["tests"]["all"]) {
    SCOPED_TRACE(t["name"].get<std::string>());
    SigningInput in = input_of(t["request"]);
    std::string date = header(in, "X-Amz-Date");
    ASSERT_FALSE(date.empty());
    EXPECT_EQ(canonical_request(in), t["creq"].get<std::string>());
    std::string scope = date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
    std::string expected_sts = t["sts"], expected_authz = t["authz"];
    // The signature step alone: the suite's string to sign gives the suite's signature.
    std::string sig = expected_authz.substr(expected_authz.rfind("Signature=") + 10);
    EXPECT_EQ(signature(creds.secret_access_key, date.substr(0, 8), region, service, expected_sts),
              sig);
    ++checked;
    if (expected_sts.substr(expected_sts.rfind('\n') + 1) !=
        sha256_hex(t["creq"].get<std::string>())) {
      // The two form-encoded tests: the package's parsed request (and creq) gained a
      // Content-Length header that AWS's string to sign and signature never covered
      // (and -parameters had charset=utf8 at AWS). Sign what AWS signed where we can.
      ++inconsistent;
      std::erase_if(in.headers, [](const auto& h) { return h.first == "Content-Length"; });
      if (t["name"] == "post-x-www-form-urlencoded") {
        EXPECT_EQ(string_to_sign(date, scope, canonical_request(in)), expected_sts);
        EXPECT_EQ(authorization(in, creds, region, service, date), expected_authz);
      }
      continue;
    }
    EXPECT_EQ(string_to_sign(date, scope, canonical_request(in)), expected_sts);
    EXPECT_EQ(authorization(in, creds, region, service, date), expected_authz);
  }
  EXPECT_EQ(checked, 28);
  EXPECT_LE(inconsistent, 2);
}

TEST(SigV4, Steps) {
  EXPECT_EQ(canonical_uri("/"), "/");
  EXPECT_EQ(canonical_uri("//a//b/./c/../"), "/a/b/");
  EXPECT_EQ(canonical_uri("/a b"), "/a%20b");
  EXPECT_EQ(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonical_query("k=a%20b"), "k=a%20b");
  EXPECT_EQ(amz_date(std::chrono::system_clock::from_time_t(1440938160)), "20150830T123600Z");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
