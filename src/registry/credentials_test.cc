#include "registry/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "http/base64.h"
#include "util/error.h"
#include "util/redact.h"

namespace fs = std::filesystem;
using lava::registry::find_credentials;

namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lava-creds-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "bin");
    old_path_ = std::getenv("PATH");
    ::setenv("PATH", ((dir_ / "bin").string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override {
    ::setenv("PATH", old_path_.c_str(), 1);
    ::unsetenv("DOCKER_CONFIG");
    fs::remove_all(dir_);
  }
  void config(const std::string& json) { std::ofstream(dir_ / "config.json") << json; }
  // A docker-credential-<name> helper answering like the real ones (reading the server
  // from stdin) and logging what it was asked.
  void helper(const std::string& name, const std::string& server, const std::string& user,
              const std::string& secret) {
    fs::path p = dir_ / "bin" / ("docker-credential-" + name);
    std::ofstream(p) << "#!/bin/sh\n"
                     << "read server\n"
                     << "echo \"$1 $server\" >> " << (dir_ / "helper.log").string() << "\n"
                     << "if [ \"$server\" = '" << server << "' ]; then\n"
                     << "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" << user
                     << "\",\"Secret\":\"" << secret << "\"}' \"$server\"\nelse\n"
                     << "  echo 'credentials not found in native keychain'; exit 1\nfi\n";
    ::chmod(p.c_str(), 0755);
  }
  fs::path dir_;
  std::string old_path_;
};

}  // namespace

TEST_F(CredentialsTest, AuthsEntriesMatchByHost) {
  config(R"({"auths":{"https://index.docker.io/v1/":{"auth":")" +
         lava::http::base64_encode("hub:hubpass") +
         R"("},"http://127.0.0.1:5000/v2/":{"username":"bob","password":"s3cret-bob"}}})");
  auto hub = find_credentials("docker.io", dir_ / "config.json");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->username, "hub");
  EXPECT_EQ(hub->password, "hubpass");
  auto local = find_credentials("127.0.0.1:5000", dir_ / "config.json");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->username, "bob");
  EXPECT_EQ(lava::redact("password s3cret-bob"), "password ***");
  EXPECT_FALSE(find_credentials("127.0.0.1:5001", dir_ / "config.json"));
  EXPECT_FALSE(find_credentials("x", dir_ / "missing.json"));
}

TEST_F(CredentialsTest, DockerConfigEnvironmentVariable) {
  config(R"({"auths":{"reg.example:443":{"auth":")" + lava::http::base64_encode("u:p-from-env") +
         R"("}}})");
  ::setenv("DOCKER_CONFIG", dir_.c_str(), 1);
  EXPECT_EQ(lava::registry::docker_config_path(), dir_ / "config.json");
  auto c = find_credentials("reg.example:443");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "p-from-env");
}

TEST_F(CredentialsTest, CredHelpersWinOverCredsStoreAndAuths) {
  helper("perhost", "127.0.0.1:5000", "alice", "helper-secret-1");
  helper("store", "https://index.docker.io/v1/", "<token>", "identity-tok-2");
  config(R"({"credsStore":"store","credHelpers":{"127.0.0.1:5000":"perhost"},
             "auths":{"127.0.0.1:5000":{"auth":")" +
         lava::http::base64_encode("x:y") + R"("}}})");
  auto c = find_credentials("127.0.0.1:5000", dir_ / "config.json");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "helper-secret-1");
  auto hub = find_credentials("docker.io", dir_ / "config.json");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->identity_token, "identity-tok-2");
  EXPECT_TRUE(hub->username.empty());
  // credsStore knows nothing for this host: falls through to auths.
  config(R"({"credsStore":"store","auths":{"h:1":{"auth":")" +
         lava::http::base64_encode("x:yy-pass") + R"("}}})");
  auto fallback = find_credentials("h:1", dir_ / "config.json");
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->password, "yy-pass");
  std::ifstream log(dir_ / "helper.log");
  std::string all((std::istreambuf_iterator<char>(log)), {});
  EXPECT_NE(all.find("get 127.0.0.1:5000"), std::string::npos) << all;
  EXPECT_NE(all.find("get https://index.docker.io/v1/"), std::string::npos) << all;
}

TEST_F(CredentialsTest, BrokenHelperOrConfigIsAClearError) {
  fs::path p = dir_ / "bin" / "docker-credential-broken";
  std::ofstream(p) << "#!/bin/sh\necho 'keychain locked' >&2\nexit 3\n";
  ::chmod(p.c_str(), 0755);
  config(R"({"credsStore":"broken"})");
  try {
    find_credentials("h:1", dir_ / "config.json");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "docker-credential-broken get h:1 failed (exit 3): keychain locked"),
              std::string::npos)
        << e.what();
  }
  config(R"({"credsStore":"absent-helper-xyz"})");
  EXPECT_THROW(find_credentials("h:1", dir_ / "config.json"), lava::Error);
  config("{not json");
  EXPECT_THROW(find_credentials("h:1", dir_ / "config.json"), lava::Error);
}
