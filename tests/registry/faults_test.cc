// Faults between the client and a real docker-registry: injected 500s and 429s, broken
// uploads, a registry that goes away. The client retries or fails with one clear line, and
// the tag keeps pointing at the last complete image.
#include <gtest/gtest.h>

#include "registry/push.h"
#include "registry_env.h"
#include "util/error.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;
using registry::Client;
using registry::Reference;

namespace {

class RegistryFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<TestRegistry>();
    proxy_ = std::make_unique<FaultProxy>(registry_->host());
    dir_ = fs::temp_directory_path() / unique_name("lava-faults-");
  }
  void TearDown() override { fs::remove_all(dir_); }
  registry::ClientOptions fast() {
    registry::ClientOptions o;
    o.retry.initial_delay = std::chrono::milliseconds(5);
    o.retry.max_delay = std::chrono::milliseconds(40);
    o.retry.max_attempts = 3;
    o.blob_attempts = 3;
    o.docker_config = dir_ / "none.json";
    return o;
  }
  Reference ref(const std::string& repo) {
    return Reference::parse(proxy_->host() + "/" + repo + ":latest");
  }
  std::string pushed_digest(const std::string& repo) {
    auto r = run_process({"skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                          "docker://" + registry_->host() + "/" + repo + ":latest"});
    return r.out.substr(0, r.out.find('\n'));
  }
  std::unique_ptr<TestRegistry> registry_;
  std::unique_ptr<FaultProxy> proxy_;
  fs::path dir_;
};

TEST_F(RegistryFaults, RetriesInjected500sAnd429s) {
  make_layout(dir_ / "img", {"amd64"}, "f1");
  std::string repo = unique_name("lava/flaky-");
  proxy_->rules(
      R"([{"method":"PUT","path":"/blobs/uploads/","times":2,"action":"status","status":500},
                    {"method":"HEAD","path":"/blobs/","times":1,"action":"status","status":429,"retry_after":"1"},
                    {"method":"PUT","path":"/manifests/","times":1,"action":"status","status":503}])");
  Client client(proxy_->host(), fast());
  auto r = registry::push_layout(client, oci::Layout::open(dir_ / "img"), ref(repo));
  EXPECT_EQ(r.blobs_uploaded, 4);
  EXPECT_GE(client.counters().upload_retries, 2);
  std::string log = proxy_->get("log");
  EXPECT_NE(log.find("fault:status"), std::string::npos);
  EXPECT_EQ(pushed_digest(repo), r.digest.str());
}

TEST_F(RegistryFaults, ResumesABrokenChunkedUpload) {
  make_layout(dir_ / "img", {"amd64"}, "f2", 1 << 20);
  std::string repo = unique_name("lava/resume-");
  proxy_->rules(
      R"([{"method":"PATCH","path":"/blobs/uploads/","times":1,"action":"status","status":502},
                    {"method":"PATCH","path":"/blobs/uploads/","times":1,"action":"drop"}])");
  Client client(proxy_->host(), fast());
  registry::PushOptions o;
  o.chunk_size = 200000;
  auto r = registry::push_layout(client, oci::Layout::open(dir_ / "img"), ref(repo), o);
  EXPECT_GE(client.counters().upload_retries, 2);
  EXPECT_NE(proxy_->get("log").find("GET /v2/" + repo + "/blobs/uploads/"), std::string::npos)
      << "resumed by asking the upload status";
  auto copy = run_process({"skopeo", "copy", "--src-tls-verify=false",
                           "docker://" + registry_->host() + "/" + repo + ":latest",
                           "oci:" + (dir_ / "back").string() + ":x"});
  EXPECT_EQ(copy.exit_status, 0) << copy.err;
  EXPECT_EQ(pushed_digest(repo), r.digest.str());
}

TEST_F(RegistryFaults, TruncatedUploadsFailClearlyAndTheTagStays) {
  std::string repo = unique_name("lava/trunc-");
  make_layout(dir_ / "v1", {"amd64"}, "v1");
  Client good(proxy_->host(), fast());
  auto v1 = registry::push_layout(good, oci::Layout::open(dir_ / "v1"), ref(repo));
  ASSERT_EQ(pushed_digest(repo), v1.digest.str());

  make_layout(dir_ / "v2", {"amd64", "arm64"}, "v2");
  proxy_->rules(R"([{"method":"PUT","path":"/blobs/uploads/","times":-1,"action":"truncate"}])");
  Client client(proxy_->host(), fast());
  try {
    registry::push_layout(client, oci::Layout::open(dir_ / "v2"), ref(repo));
    FAIL() << "push succeeded through a proxy that breaks every upload";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("PUT http://" + proxy_->host() + "/v2/" + repo + "/blobs/uploads/"),
              std::string::npos)
        << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
  }
  EXPECT_EQ(client.counters().upload_retries, 2);  // blob_attempts 3
  EXPECT_EQ(pushed_digest(repo), v1.digest.str());
  // And the same push succeeds once the network heals, uploading only what is missing.
  proxy_->rules("[]");
  Client healed(proxy_->host(), fast());
  auto v2 = registry::push_layout(healed, oci::Layout::open(dir_ / "v2"), ref(repo));
  EXPECT_EQ(pushed_digest(repo), v2.digest.str());
}

TEST_F(RegistryFaults, ManifestPushFailureLeavesTheTag) {
  std::string repo = unique_name("lava/manifest-");
  make_layout(dir_ / "v1", {"amd64"}, "m1");
  Client good(proxy_->host(), fast());
  auto v1 = registry::push_layout(good, oci::Layout::open(dir_ / "v1"), ref(repo));
  make_layout(dir_ / "v2", {"amd64", "arm64"}, "m2");
  // Child manifests go in by digest; the tag PUT (the index) is refused.
  proxy_->rules(R"([{"method":"PUT","path":"/manifests/latest","times":-1,"action":"drop"}])");
  Client client(proxy_->host(), fast());
  EXPECT_THROW(registry::push_layout(client, oci::Layout::open(dir_ / "v2"), ref(repo)), Error);
  EXPECT_EQ(pushed_digest(repo), v1.digest.str());
}

TEST(RegistryStopped, RegistryStoppedMidPushFailsClearly) {
  TestRegistry reg({}, /*allow_harness=*/false);
  fs::path dir = fs::temp_directory_path() / unique_name("lava-stop-");
  make_layout(dir / "img", {"amd64", "arm64"}, "stop");
  registry::ClientOptions o;
  o.retry.initial_delay = std::chrono::milliseconds(5);
  o.retry.max_delay = std::chrono::milliseconds(20);
  o.retry.max_attempts = 2;
  o.blob_attempts = 2;
  Client client(reg.host(), o);
  int done = 0;
  try {
    registry::push_layout(client, oci::Layout::open(dir / "img"),
                          Reference::parse(reg.host() + "/lava/stopped:latest"), {},
                          [&](const registry::PushEvent& e) {
                            if (e.kind == registry::PushEvent::Kind::kBlobDone && ++done == 2)
                              reg.stop();
                          });
    FAIL();
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("onnect"), std::string::npos)
        << msg;  // "Couldn't connect" / "Connection refused"
  }
  EXPECT_EQ(done, 2);
  fs::remove_all(dir);
}

}  // namespace
