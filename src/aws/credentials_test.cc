#include "aws/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>

#include "http/test_server.h"
#include "util/error.h"
#include "util/redact.h"

namespace fs = std::filesystem;
using namespace lava::aws;

namespace {

const char* kVars[] = {"HOME",
                       "AWS_ACCESS_KEY_ID",
                       "AWS_SECRET_ACCESS_KEY",
                       "AWS_SESSION_TOKEN",
                       "AWS_PROFILE",
                       "AWS_REGION",
                       "AWS_DEFAULT_REGION",
                       "AWS_SHARED_CREDENTIALS_FILE",
                       "AWS_CONFIG_FILE",
                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                       "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                       "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                       "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                       "AWS_EC2_METADATA_DISABLED"};

// Every test runs with a temporary HOME and none of the AWS variables of the caller.
class AwsChain : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kVars) {
      const char* old = std::getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
      ::unsetenv(v);
    }
    home_ = fs::temp_directory_path() /
            ("lava-aws-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(home_ / ".aws");
    ::setenv("HOME", home_.c_str(), 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);  // never probe a real 169.254.169.254
  }
  void TearDown() override {
    for (const auto& [k, v] : saved_) {
      if (v)
        ::setenv(k.c_str(), v->c_str(), 1);
      else
        ::unsetenv(k.c_str());
    }
    fs::remove_all(home_);
  }
  void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  fs::path home_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

TEST_F(AwsChain, EnvironmentWinsAndCarriesTheSessionToken) {
  write(home_ / ".aws/credentials",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file\n");
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
  ::setenv("AWS_SESSION_TOKEN", "env-session-token", 1);
  auto c = resolve_credentials();
  EXPECT_EQ(c.access_key_id, "AKIDENV");
  EXPECT_EQ(c.session_token, "env-session-token");
  EXPECT_EQ(lava::redact("k=env-secret-value t=env-session-token"), "k=*** t=***");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  EXPECT_THROW(resolve_credentials(), lava::Error);
}

TEST_F(AwsChain, ProfilesFromBothFilesAndRegion) {
  write(home_ / ".aws/credentials",
        "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d-secret\n"
        "[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=dev-secret\naws_session_token = "
        "dev-tok\n");
  write(home_ / ".aws/config",
        "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-southeast-2\ns3 =\n  "
        "max_concurrent_requests = 4\n");
  EXPECT_EQ(resolve_credentials().access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(resolve_region(), "eu-west-1");
  ::setenv("AWS_PROFILE", "dev", 1);
  auto c = resolve_credentials();
  EXPECT_EQ(c.access_key_id, "AKIDDEV");
  EXPECT_EQ(c.session_token, "dev-tok");
  EXPECT_EQ(c.source, "profile dev");
  EXPECT_EQ(resolve_region(), "ap-southeast-2");
  ::setenv("AWS_DEFAULT_REGION", "us-west-2", 1);
  EXPECT_EQ(resolve_region(), "us-west-2");
  ::setenv("AWS_REGION", "us-east-2", 1);
  EXPECT_EQ(resolve_region(), "us-east-2");
  ::setenv("AWS_PROFILE", "missing", 1);
  try {
    resolve_credentials();
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("AWS profile \"missing\" not found"), std::string::npos);
  }
}

TEST_F(AwsChain, CredentialProcessAndOverriddenFilePaths) {
  fs::path script = home_ / "creds.sh";
  write(script,
        "#!/bin/sh\necho "
        "'{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"proc-secret\","
        "\"SessionToken\":\"proc-token\",\"Expiration\":\"2030-05-01T10:00:00Z\"}'\n");
  ::chmod(script.c_str(), 0755);
  write(home_ / "other-config",
        "[profile sso]\ncredential_process = " + script.string() + " --profile sso\n");
  ::setenv("AWS_CONFIG_FILE", (home_ / "other-config").c_str(), 1);
  ::setenv("AWS_PROFILE", "sso", 1);
  auto c = resolve_credentials();
  EXPECT_EQ(c.access_key_id, "AKIDPROC");
  EXPECT_EQ(c.session_token, "proc-token");
  ASSERT_TRUE(c.expiration);
  std::tm tm{};
  tm.tm_year = 2030 - 1900;
  tm.tm_mon = 4;
  tm.tm_mday = 1;
  tm.tm_hour = 10;
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*c.expiration), timegm(&tm));
  write(script, "#!/bin/sh\necho 'token expired, run aws sso login' >&2\nexit 255\n");
  try {
    resolve_credentials();
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "credential_process of AWS profile sso failed (exit 255): token expired"),
              std::string::npos)
        << e.what();
  }
  write(home_ / "other-config",
        "[profile sso]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n");
  EXPECT_THROW(resolve_credentials(), lava::Error);
}

TEST_F(AwsChain, ContainerEndpointThenImdsV2) {
  const char* src = std::getenv("LAVA_SOURCE_DIR");
  lava::testing::ScriptServer server(
      {"/usr/bin/python3", std::string(src ? src : ".") + "/src/aws/testdata/metadata_server.py"});
  write(home_ / "token", "container-auth-token\n");
  ::setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", (server.url() + "/creds").c_str(), 1);
  ::setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (home_ / "token").c_str(), 1);
  auto c = resolve_credentials();
  EXPECT_EQ(c.access_key_id, "AKIDCONTAINER");
  EXPECT_EQ(c.session_token, "container-session");
  ::unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  ::unsetenv("AWS_EC2_METADATA_DISABLED");
  ::setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url().c_str(), 1);
  c = resolve_credentials();
  EXPECT_EQ(c.access_key_id, "AKIDIMDS");
  EXPECT_EQ(c.session_token, "imds-session");
  EXPECT_EQ(c.source, "EC2 instance role lava-role");
  // Nothing anywhere: one line saying what was tried, quickly (IMDS on a closed port).
  server.stop();
  try {
    resolve_credentials();
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no AWS credentials found"), std::string::npos)
        << e.what();
  }
}
