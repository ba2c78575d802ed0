// lava.aws.* facts against tests/registry/fake_ecr.py, which checks each request's SigV4
// signature independently and answers STS GetCallerIdentity and ECR DescribeRegistry.
#include "aws/aws_facts.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "http/client.h"
#include "http/test_server.h"
#include "util/error.h"

namespace {

using lava::aws::AwsFacts;

constexpr const char* kAccount = "210987654321";
constexpr const char* kSecret = "facts/test+secret/KEY";

std::string fake_script() {
  const char* src = std::getenv("LAVA_SOURCE_DIR");
  return std::string(src ? src : ".") + "/tests/registry/fake_ecr.py";
}

class AwsFactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace(std::vector<std::string>{
        "/usr/bin/python3", fake_script(), "--access-key", "AKIDFACTS", "--secret", kSecret,
        "--region", "eu-west-1", "--account", kAccount, "--caller-arn",
        std::string("arn:aws:sts::") + kAccount + ":assumed-role/deployer/session-1"});
    for (const char* v :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
          "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
          "AWS_ENDPOINT_URL_ECR", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
          "AWS_EC2_METADATA_DISABLED", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI"}) {
      const char* old = std::getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
      ::unsetenv(v);
    }
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
    ::setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  }
  void TearDown() override {
    for (const auto& [k, v] : saved_) {
      if (v)
        ::setenv(k.c_str(), v->c_str(), 1);
      else
        ::unsetenv(k.c_str());
    }
  }
  void credentials(const char* secret) {
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDFACTS", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    ::setenv("AWS_REGION", "eu-west-1", 1);
  }
  std::string fake_log() {
    lava::http::Client c;
    return c.perform(lava::http::Request::make("GET", server_->url() + "/__log")).body;
  }
  static int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  }
  std::optional<lava::testing::ScriptServer> server_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(AwsFactsTest, EachValueAskedOnceThroughTheServiceEndpoints) {
  credentials(kSecret);
  ::setenv("AWS_ENDPOINT_URL_STS", server_->url().c_str(), 1);
  ::setenv("AWS_ENDPOINT_URL_ECR", server_->url().c_str(), 1);
  ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);  // the service-specific ones win
  AwsFacts f;
  EXPECT_EQ(f.api_calls(), 0);
  EXPECT_EQ(f.get("region"), "eu-west-1");
  EXPECT_EQ(f.api_calls(), 0);  // the region needs no call
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(f.get("account"), kAccount);
    EXPECT_EQ(f.get("user"), "deployer");  // the role name of an assumed role, as jinja does
    EXPECT_EQ(f.get("ecr_uri"), std::string(kAccount) + ".dkr.ecr.eu-west-1.amazonaws.com");
  }
  EXPECT_EQ(f.api_calls(), 2);
  std::string log = fake_log();
  EXPECT_EQ(count(log, "GetCallerIdentity signature-ok"), 1) << log;
  EXPECT_EQ(count(log, "DescribeRegistry signature-ok"), 1) << log;
}

TEST_F(AwsFactsTest, GenericEndpointOverrideServesBoth) {
  credentials(kSecret);
  ::setenv("AWS_ENDPOINT_URL", server_->url().c_str(), 1);
  AwsFacts f;
  EXPECT_EQ(f.get("account"), kAccount);
  EXPECT_EQ(f.get("ecr_uri"), std::string(kAccount) + ".dkr.ecr.eu-west-1.amazonaws.com");
}

TEST_F(AwsFactsTest, RefusedSignatureIsOneLineWithoutTheSecretAndNotRetried) {
  credentials("wrong/secret+value");
  ::setenv("AWS_ENDPOINT_URL", server_->url().c_str(), 1);
  AwsFacts f;
  std::string first;
  try {
    f.get("account");
    FAIL() << "no error";
  } catch (const lava::Error& e) {
    first = e.what();
  }
  EXPECT_NE(first.find("STS GetCallerIdentity"), std::string::npos) << first;
  EXPECT_NE(first.find("SignatureDoesNotMatch"), std::string::npos) << first;
  EXPECT_EQ(first.find("wrong/secret+value"), std::string::npos) << first;
  EXPECT_EQ(first.find('\n'), std::string::npos);
  EXPECT_THROW(f.get("user"), lava::Error);
  EXPECT_EQ(f.api_calls(), 1);
  EXPECT_EQ(count(fake_log(), "GetCallerIdentity"), 1);
}

TEST_F(AwsFactsTest, NoCredentialsOrNoRegion) {
  ::setenv("AWS_ENDPOINT_URL", server_->url().c_str(), 1);
  ::setenv("AWS_REGION", "eu-west-1", 1);
  AwsFacts f;
  EXPECT_THROW(f.get("account"), lava::Error);
  EXPECT_EQ(f.api_calls(), 0);
  ::unsetenv("AWS_REGION");
  credentials(kSecret);
  ::unsetenv("AWS_REGION");
  AwsFacts g;
  try {
    g.get("region");
    FAIL() << "no error";
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no AWS region"), std::string::npos);
  }
}

}  // namespace
