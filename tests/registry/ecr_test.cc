// The ECR flow end to end against tests/registry/fake_ecr.py, which checks every request's
// SigV4 signature on its own, with repositoryUri pointing at a real docker-registry that
// wants the GetAuthorizationToken credentials (htpasswd user AWS).
#include <gtest/gtest.h>

#include <algorithm>

#include "aws/ecr.h"
#include "publish/publish.h"
#include "registry_env.h"
#include "util/error.h"
#include "util/redact.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;

namespace {

constexpr const char* kAccount = "123456789012";
constexpr const char* kRegion = "eu-west-2";

class EcrFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / unique_name("lava-ecr-"));
    fs::create_directories(*dir_);
    password_ = new std::string("ecr-pw-" + unique_name(""));
    run_process({"htpasswd", "-Bbc", (*dir_ / "htpasswd").string(), "AWS", *password_});
    registry_ = new TestRegistry({"--htpasswd", (*dir_ / "htpasswd").string()});
    ecr_ = new ScriptServer({"/usr/bin/python3", script("fake_ecr.py"), "--access-key",
                             "AKIDLAVATEST", "--secret", "lava/test+secret/KEY", "--region",
                             kRegion, "--account", kAccount, "--registry", registry_->host(),
                             "--registry-password", *password_});
  }
  static void TearDownTestSuite() {
    delete ecr_;
    delete registry_;
    fs::remove_all(*dir_);
    delete dir_;
    delete password_;
  }
  void SetUp() override {
    for (const char* v :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
          "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_DEFAULT_REGION"}) {
      const char* old = std::getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
    }
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDLAVATEST", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "lava/test+secret/KEY", 1);
    ::setenv("AWS_SESSION_TOKEN", "session-token-abc", 1);
    ::setenv("AWS_REGION", kRegion, 1);
    ::setenv("AWS_ENDPOINT_URL_ECR", ecr_->url().c_str(), 1);
    ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);  // the ECR-specific one wins
  }
  void TearDown() override {
    for (const auto& [k, v] : saved_) {
      if (v)
        ::setenv(k.c_str(), v->c_str(), 1);
      else
        ::unsetenv(k.c_str());
    }
  }
  std::string fake_log() { return run_process({"curl", "-sf", ecr_->url() + "/__log"}).out; }
  publish::PublishOptions options() {
    publish::PublishOptions o;
    o.client.docker_config = *dir_ / "no-docker-config.json";
    return o;
  }
  static fs::path* dir_;
  static std::string* password_;
  static TestRegistry* registry_;
  static ScriptServer* ecr_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};
fs::path* EcrFlow::dir_;
std::string* EcrFlow::password_;
TestRegistry* EcrFlow::registry_;
ScriptServer* EcrFlow::ecr_;

TEST_F(EcrFlow, InstallTwiceThenUninstall) {
  auto root = make_layout(*dir_ / "img", {"amd64", "arm64"}, "ecr");
  auto layout = oci::Layout::open(*dir_ / "img");
  auto target = publish::PublishTarget::parse("ecr", "lava/dev/hello");
  std::vector<std::string> notices;
  auto opts = options();
  opts.notice = [&](const std::string& n) { notices.push_back(n); };

  auto first = publish::publish(layout, target, opts);
  EXPECT_TRUE(first.repository_created);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0], "created ECR repository " + registry_->host() + "/lava/dev/hello");
  EXPECT_EQ(first.push.digest, root.digest);
  EXPECT_GT(first.push.blobs_uploaded, 0);
  EXPECT_EQ(first.reference, registry_->host() + "/lava/dev/hello:latest@" + root.digest.str());

  // Independently: skopeo with the token's credentials sees the index and both platforms.
  auto inspect = run_process({"skopeo", "inspect", "--raw", "--tls-verify=false", "--creds",
                              "AWS:" + *password_,
                              "docker://" + registry_->host() + "/lava/dev/hello:latest"});
  ASSERT_EQ(inspect.exit_status, 0) << inspect.err;
  auto idx = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(idx["manifests"].size(), 2u);

  auto second = publish::publish(layout, target, opts);
  EXPECT_FALSE(second.repository_created);
  EXPECT_EQ(second.push.blobs_uploaded, 0);
  EXPECT_EQ(second.push.digest, first.push.digest);

  aws::EcrClient ecr(aws::resolve_credentials(), kRegion);
  EXPECT_EQ(ecr.describe_registry(), kAccount);
  EXPECT_EQ(ecr.endpoint(), ecr_->url());

  auto gone = publish::unpublish(target, opts);
  EXPECT_TRUE(gone.existed);
  EXPECT_EQ(gone.message, "deleted ECR repository lava/dev/hello");
  EXPECT_NE(
      run_process({"skopeo", "inspect", "--raw", "--tls-verify=false", "--creds",
                   "AWS:" + *password_, "docker://" + registry_->host() + "/lava/dev/hello:latest"})
          .exit_status,
      0);
  auto again = publish::unpublish(target, opts);
  EXPECT_FALSE(again.existed);
  EXPECT_NE(again.message.find("does not exist"), std::string::npos);

  // Every call was signed correctly, session token included.
  std::string log = fake_log();
  for (const char* action :
       {"DescribeRepositories signature-ok", "CreateRepository signature-ok",
        "GetAuthorizationToken signature-ok", "DeleteRepository signature-ok",
        "DescribeRegistry signature-ok", "DeleteRepository RepositoryNotFoundException"})
    EXPECT_NE(log.find(action), std::string::npos) << action << "\n" << log;
  EXPECT_EQ(log.find("InvalidSignature"), std::string::npos) << log;
  EXPECT_EQ(redact(*password_), "***");
}

TEST_F(EcrFlow, ExplicitAccountIdIsPassedAsRegistryId) {
  make_layout(*dir_ / "acct", {"amd64"}, "acct");
  auto r = publish::publish(
      oci::Layout::open(*dir_ / "acct"),
      publish::PublishTarget::parse(std::string("ecr:") + kAccount, "lava/dev/acct"), options());
  EXPECT_TRUE(r.repository_created);
  try {
    publish::publish(oci::Layout::open(*dir_ / "acct"),
                     publish::PublishTarget::parse("ecr:999999999999", "lava/dev/acct"), options());
    FAIL();
  } catch (const aws::AwsError& e) {
    EXPECT_EQ(e.code(), "AccessDeniedException");
  }
}

TEST_F(EcrFlow, AwsErrorsAreOneClearLine) {
  auto expect_error = [&](const std::string& fragment, const std::string& repo = "lava/dev/x") {
    try {
      aws::EcrClient ecr(aws::resolve_credentials(), std::getenv("AWS_REGION"));
      ecr.create_repository(repo);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      EXPECT_EQ(msg.find("wrong-secret"), std::string::npos) << msg;
    }
  };
  expect_error("access denied for the credentials from environment", "lava/forbidden/x");
  ::setenv("AWS_SESSION_TOKEN", "expired-token", 1);
  expect_error("have expired");
  ::setenv("AWS_SESSION_TOKEN", "session-token-abc", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret", 1);
  expect_error(
      "does not recognise the credentials from environment (AWS_ACCESS_KEY_ID) "
      "(InvalidSignatureException)");
  ::setenv("AWS_SECRET_ACCESS_KEY", "lava/test+secret/KEY", 1);
  ::setenv("AWS_REGION", "ap-east-1", 1);
  expect_error("region ap-east-1 is not enabled");
  ::setenv("AWS_REGION", kRegion, 1);
  ::setenv("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9", 1);
  expect_error("cannot reach http://127.0.0.1:9");
}

TEST(PlainRegistryPublish, UninstallDeletesTheTaggedManifests) {
  TestRegistry reg;
  fs::path dir = fs::temp_directory_path() / unique_name("lava-plain-");
  make_layout(dir / "img", {"amd64"}, "plain");
  std::string repo = unique_name("lava/plain-");
  auto target = publish::PublishTarget::parse(reg.host(), repo);
  publish::PublishOptions o;
  o.client.docker_config = dir / "none.json";
  auto r = publish::publish(oci::Layout::open(dir / "img"), target, o);
  EXPECT_GT(r.push.blobs_uploaded, 0);
  auto gone = publish::unpublish(target, o);
  EXPECT_TRUE(gone.existed);
  EXPECT_EQ(gone.manifests_deleted, 1);
  EXPECT_FALSE(publish::unpublish(target, o).existed);
  fs::remove_all(dir);
}

}  // namespace

#include "cli_project.h"

namespace {

TEST_F(EcrFlow, CliInstallAndUninstallThroughEcr) {
  CliProject project("ecr", "lava/cli");
  auto r = project.run({"install", "--no-build", "--env", "dev"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(
      r.err.find("notice: hello: created ECR repository " + registry_->host() + "/lava/cli/hello"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("multi\tpushed\t" + registry_->host() + "/lava/cli/multi:latest@sha256:"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(*password_), std::string::npos);
  EXPECT_EQ(r.err.find(*password_), std::string::npos);
  r = project.run({"install", "--no-build", "--env", "dev", "--json"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto out = nlohmann::json::parse(r.out)["payloads"];
  ASSERT_EQ(out.size(), 2u) << r.out;
  EXPECT_EQ(out[0]["blobs_uploaded"], 0);
  EXPECT_EQ(out[1]["blobs_uploaded"], 0);
  EXPECT_EQ(out[0]["repository_created"], false);
  r = project.run({"uninstall", "--env", "dev"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("hello: deleted ECR repository lava/cli/hello"), std::string::npos) << r.out;
  r = project.run({"uninstall", "--env", "dev"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("notice: multi: ECR repository lava/cli/multi does not exist"),
            std::string::npos)
      << r.err;
  // Wrong keys: one line, exit 1, no secret shown; found by install's check of the target,
  // before anything is built or pushed.
  ::setenv("AWS_SECRET_ACCESS_KEY", "not-the-right-secret", 1);
  r = project.run({"install", "--no-build", "--env", "dev", "hello"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("ECR GetAuthorizationToken (eu-west-2): AWS does not recognise"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.find("not-the-right-secret"), std::string::npos);
}

}  // namespace
