// Authentication: htpasswd Basic auth on a real docker-registry with the credentials coming
// from a docker-credential-* helper, and Bearer tokens with push and cross-repository
// scopes through the proxy's token gate.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "http/base64.h"
#include "registry/push.h"
#include "registry_env.h"
#include "util/error.h"
#include "util/redact.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;
using registry::Client;
using registry::Reference;

namespace {

class RegistryAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / unique_name("lava-auth-");
    fs::create_directories(dir_ / "bin");
    password_ = "pw-" + unique_name("");
    auto r = run_process({"htpasswd", "-Bbc", (dir_ / "htpasswd").string(), "lava", password_});
    ASSERT_EQ(r.exit_status, 0) << r.err;
    registry_ = std::make_unique<TestRegistry>(
        std::vector<std::string>{"--htpasswd", (dir_ / "htpasswd").string()});
    make_layout(dir_ / "img", {"amd64"}, "auth");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void helper_config(const std::string& user, const std::string& secret) {
    fs::path helper = dir_ / "bin" / "docker-credential-lavatest";
    std::ofstream(helper) << "#!/bin/sh\nread server\necho \"$server\" >> "
                          << (dir_ / "asked").string()
                          << "\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"" << user
                          << "\",\"Secret\":\"" << secret << "\"}' \"$server\"\n";
    ::chmod(helper.c_str(), 0755);
    std::ofstream(dir_ / "config.json")
        << R"({"credHelpers":{")" << registry_->host() << R"(":"lavatest"}})";
  }
  registry::ClientOptions opts() {
    registry::ClientOptions o;
    o.docker_config = dir_ / "config.json";
    o.retry.max_attempts = 2;
    o.retry.initial_delay = std::chrono::milliseconds(5);
    return o;
  }
  fs::path dir_;
  std::string password_;
  std::unique_ptr<TestRegistry> registry_;
};

TEST_F(RegistryAuth, BasicAuthWithACredentialHelper) {
  helper_config("lava", password_);
  std::string old_path = std::getenv("PATH");
  ::setenv("PATH", ((dir_ / "bin").string() + ":" + old_path).c_str(), 1);
  Client client(registry_->host(), opts());
  auto ref = Reference::parse(registry_->host() + "/lava/private:latest");
  auto r = registry::push_layout(client, oci::Layout::open(dir_ / "img"), ref);
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_EQ(r.blobs_uploaded, 4);
  auto asked = run_process({"cat", (dir_ / "asked").string()}).out;
  EXPECT_EQ(asked, registry_->host() + "\n");
  // skopeo with the same credentials sees the image; without, it is refused.
  auto ok = run_process({"skopeo", "inspect", "--raw", "--tls-verify=false", "--creds",
                         "lava:" + password_, "docker://" + ref.str()});
  EXPECT_EQ(ok.exit_status, 0) << ok.err;
  EXPECT_NE(
      run_process({"skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref.str()})
          .exit_status,
      0);
  EXPECT_EQ(redact("pw " + password_), "pw ***");
}

TEST_F(RegistryAuth, MissingOrWrongCredentialsAreOneClearLine) {
  auto ref = Reference::parse(registry_->host() + "/lava/private:latest");
  {
    Client client(registry_->host(), opts());  // no config file
    try {
      registry::push_layout(client, oci::Layout::open(dir_ / "img"), ref);
      FAIL();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("requires a login"), std::string::npos) << e.what();
    }
  }
  std::ofstream(dir_ / "config.json") << R"({"auths":{")" << registry_->host() << R"(":{"auth":")"
                                      << http::base64_encode("lava:wrong-password") << R"("}}})";
  Client client(registry_->host(), opts());
  try {
    registry::push_layout(client, oci::Layout::open(dir_ / "img"), ref);
    FAIL();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("login refused"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("wrong-password"), std::string::npos) << msg;
  }
}

TEST(RegistryBearer, TokensCarryPushAndCrossRepositoryScopes) {
  TestRegistry reg;
  FaultProxy proxy(reg.host());
  proxy.bearer();
  fs::path dir = fs::temp_directory_path() / unique_name("lava-bearer-");
  make_layout(dir / "img", {"amd64"}, "bearer");
  registry::ClientOptions o;
  o.docker_config = dir / "none.json";
  Client client(proxy.host(), o);
  std::string a = unique_name("lava/tok-a-"), b = unique_name("lava/tok-b-");
  registry::push_layout(client, oci::Layout::open(dir / "img"),
                        Reference::parse(proxy.host() + "/" + a + ":latest"));
  registry::PushOptions mount;
  mount.mount_from = {a};
  auto r = registry::push_layout(client, oci::Layout::open(dir / "img"),
                                 Reference::parse(proxy.host() + "/" + b + ":latest"), mount);
  EXPECT_EQ(r.blobs_mounted, 4);
  auto scopes = nlohmann::json::parse(proxy.get("scopes"));
  bool push_scope = false, mount_scope = false;
  for (const auto& s : scopes) {
    std::vector<std::string> list = s;
    if (list == std::vector<std::string>{"repository:" + a + ":pull,push"}) push_scope = true;
    if (list ==
        std::vector<std::string>{"repository:" + b + ":pull,push", "repository:" + a + ":pull"})
      mount_scope = true;
  }
  EXPECT_TRUE(push_scope) << scopes.dump();
  EXPECT_TRUE(mount_scope) << scopes.dump();
  // One token per scope set, reused: far fewer tokens than requests.
  EXPECT_LE(scopes.size(), 4u) << scopes.dump();
  fs::remove_all(dir);
}

}  // namespace
