// The registry client against a real docker-registry, checked with skopeo and umoci.
#include <gtest/gtest.h>

#include "oci/media_types.h"
#include "registry/push.h"
#include "registry_env.h"
#include "util/error.h"

namespace fs = std::filesystem;
using namespace lava;
using namespace lava::testing;
using nlohmann::json;
using registry::Client;
using registry::Reference;

namespace {

class RegistryPush : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { registry_ = new TestRegistry(); }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / unique_name("lava-push-");
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  Reference ref(const std::string& repo, const std::string& tag = "latest") {
    return Reference::parse(registry_->host() + "/" + repo + ":" + tag);
  }
  registry::ClientOptions fast() {
    registry::ClientOptions o;
    o.retry.initial_delay = std::chrono::milliseconds(5);
    o.retry.max_delay = std::chrono::milliseconds(50);
    o.docker_config = dir_ / "no-config.json";
    return o;
  }
  static TestRegistry* registry_;
  fs::path dir_;
};
TestRegistry* RegistryPush::registry_ = nullptr;

TEST_F(RegistryPush, MultiPlatformIndexIsReadableBySkopeoAndUmoci) {
  auto root = make_layout(dir_ / "img", {"amd64", "arm64"}, "one");
  auto layout = oci::Layout::open(dir_ / "img");
  std::string repo = unique_name("lava/multi-");
  Client client(registry_->host(), fast());
  auto result = registry::push_layout(client, layout, ref(repo));
  EXPECT_EQ(result.digest, root.digest);
  // 2 configs + 2 platform layers differing + shared ones: count what the layout holds.
  std::set<std::string> blobs;
  for (const auto& m : layout.image_manifests(root)) {
    auto man = layout.read_manifest(m);
    blobs.insert(man.config.digest.str());
    for (const auto& l : man.layers) blobs.insert(l.digest.str());
  }
  EXPECT_EQ(result.blobs_uploaded, static_cast<int>(blobs.size()));
  EXPECT_EQ(result.blobs_skipped, 0);
  EXPECT_EQ(result.manifests_pushed, 3);

  json idx = skopeo_raw(ref(repo).str());
  ASSERT_FALSE(idx.is_null());
  EXPECT_EQ(idx["mediaType"], oci::media::kOciIndex);
  ASSERT_EQ(idx["manifests"].size(), 2u);
  EXPECT_EQ(idx["manifests"][0]["platform"]["architecture"], "amd64");
  EXPECT_EQ(idx["manifests"][1]["platform"]["architecture"], "arm64");
  EXPECT_EQ(idx["manifests"][1]["platform"]["variant"], "v8");
  EXPECT_EQ(oci::sha256_of(idx.dump()).str().size(), 71u);
  auto digest = run_process({"skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                             "docker://" + ref(repo).str()});
  EXPECT_EQ(digest.out.substr(0, 71), root.digest.str());

  // umoci reads the arm64 image after skopeo copies it back to a layout.
  auto copy =
      run_process({"skopeo", "copy", "--src-tls-verify=false", "--override-arch", "arm64",
                   "docker://" + ref(repo).str(), "oci:" + (dir_ / "back").string() + ":arm"});
  ASSERT_EQ(copy.exit_status, 0) << copy.err;
  auto stat =
      run_process({"umoci", "stat", "--json", "--image", (dir_ / "back").string() + ":arm"});
  ASSERT_EQ(stat.exit_status, 0) << stat.err;
  auto unpack = run_process({"umoci", "unpack", "--rootless", "--image",
                             (dir_ / "back").string() + ":arm", (dir_ / "bundle").string()});
  ASSERT_EQ(unpack.exit_status, 0) << unpack.err;
  EXPECT_EQ(run_process({"cat", (dir_ / "bundle/rootfs/bin/tool").string()}).out,
            "#!/bin/sh\necho arm64\n");
  auto cfg = json::parse(run_process({"cat", (dir_ / "bundle/config.json").string()}).out);
  EXPECT_EQ(cfg["process"]["args"][0], "/bin/tool");
}

TEST_F(RegistryPush, SecondPushUploadsNothing) {
  make_layout(dir_ / "img", {"amd64", "arm64"}, "two");
  auto layout = oci::Layout::open(dir_ / "img");
  std::string repo = unique_name("lava/again-");
  Client first(registry_->host(), fast());
  auto r1 = registry::push_layout(first, layout, ref(repo));
  EXPECT_GT(r1.blobs_uploaded, 0);
  Client second(registry_->host(), fast());
  auto r2 = registry::push_layout(second, layout, ref(repo));
  EXPECT_EQ(r2.blobs_uploaded, 0);
  EXPECT_EQ(r2.bytes_uploaded, 0u);
  EXPECT_EQ(r2.blobs_skipped, r1.blobs_uploaded);
  EXPECT_EQ(r2.digest, r1.digest);
  EXPECT_EQ(second.counters().blobs_uploaded, 0);
}

TEST_F(RegistryPush, ChunkedUploadAndCrossRepositoryMount) {
  make_layout(dir_ / "img", {"amd64"}, "three", 1 << 20);
  auto layout = oci::Layout::open(dir_ / "img");
  std::string a = unique_name("lava/base-"), b = unique_name("lava/derived-");
  Client client(registry_->host(), fast());
  registry::PushOptions chunked;
  chunked.chunk_size = 100000;
  auto r1 = registry::push_layout(client, layout, ref(a), chunked);
  EXPECT_EQ(r1.blobs_uploaded, 4);
  ASSERT_FALSE(skopeo_raw(ref(a).str()).is_null());
  // The blobs exist in `a`: mounting them into `b` uploads nothing.
  registry::PushOptions mount;
  mount.mount_from = {a};
  auto r2 = registry::push_layout(client, layout, ref(b), mount);
  EXPECT_EQ(r2.blobs_mounted, 4);
  EXPECT_EQ(r2.blobs_uploaded, 0);
  json m = skopeo_raw(ref(b).str());
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["mediaType"], oci::media::kOciManifest);
  EXPECT_EQ(m["layers"][1]["mediaType"], oci::media::kOciLayerGzip);
  // A copy through skopeo proves the mounted blobs are really readable in `b`.
  auto copy = run_process({"skopeo", "copy", "--src-tls-verify=false", "docker://" + ref(b).str(),
                           "oci:" + (dir_ / "b").string() + ":x"});
  EXPECT_EQ(copy.exit_status, 0) << copy.err;
}

TEST_F(RegistryPush, ReadsWithPlatformSelectionAndVerifiedBlobs) {
  auto root = make_layout(dir_ / "img", {"amd64", "arm64"}, "four");
  auto layout = oci::Layout::open(dir_ / "img");
  std::string repo = unique_name("lava/read-");
  Client client(registry_->host(), fast());
  registry::push_layout(client, layout, ref(repo));

  Client reader(registry_->host(), fast());
  auto index = reader.get_index(ref(repo));
  EXPECT_EQ(index.manifests.size(), 2u);
  oci::Descriptor chosen;
  auto arm = reader.get_image_manifest(ref(repo), oci::Platform::parse("linux/arm64"), &chosen);
  EXPECT_EQ(chosen.platform->architecture, "arm64");
  EXPECT_EQ(chosen.digest, index.manifests[1].digest);
  auto cache = dir_ / "cache";
  for (const auto& l : arm.layers) {
    auto path = reader.fetch_blob_to(ref(repo).repository, l, cache);
    EXPECT_EQ(oci::sha256_of_file(path), l.digest);
  }
  try {
    reader.get_image_manifest(ref(repo), oci::Platform::parse("linux/s390x"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "has no linux/s390x image (it has: linux/amd64, linux/arm64/v8)"),
              std::string::npos)
        << e.what();
  }
  // A descriptor lying about the digest is caught.
  auto lie = arm.layers[0];
  lie.digest = arm.layers[1].digest;
  lie.size = arm.layers[0].size;
  http::StringSink sink;
  EXPECT_THROW(reader.fetch_blob(ref(repo).repository, lie, sink), Error);
  auto head = reader.head_manifest(ref(repo));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->digest, root.digest);
  EXPECT_FALSE(reader.head_manifest(ref(repo, "nope")));
}

TEST_F(RegistryPush, DeleteTagAndListTags) {
  make_layout(dir_ / "img", {"amd64"}, "five");
  auto layout = oci::Layout::open(dir_ / "img");
  std::string repo = unique_name("lava/del-");
  Client client(registry_->host(), fast());
  registry::push_layout(client, layout, ref(repo, "latest"));
  registry::push_layout(client, layout, ref(repo, "v1"));
  auto tags = client.list_tags(repo);
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(tags, (std::vector<std::string>{"latest", "v1"}));
  EXPECT_TRUE(registry::delete_tag_manifests(client, ref(repo)));
  EXPECT_TRUE(client.list_tags(repo).empty());  // both tags were on that manifest
  EXPECT_FALSE(registry::delete_tag_manifests(client, ref(repo)));
  std::string err;
  EXPECT_TRUE(skopeo_raw(ref(repo).str(), &err).is_null());
  EXPECT_TRUE(client.list_tags(unique_name("lava/never-")).empty());
  EXPECT_EQ(registry::delete_repository_manifests(client, repo), 0);
}

TEST(RegistryNoDelete, RefusedDeleteIsAClearError) {
  TestRegistry reg({"--no-delete"});
  fs::path dir = fs::temp_directory_path() / unique_name("lava-nodel-");
  make_layout(dir / "img", {"amd64"}, "six");
  Client client(reg.host());
  auto r = Reference::parse(reg.host() + "/lava/nodel:latest");
  registry::push_layout(client, oci::Layout::open(dir / "img"), r);
  try {
    registry::delete_tag_manifests(client, r);
    FAIL();
  } catch (const registry::RegistryError& e) {
    EXPECT_NE(std::string(e.what()).find("refuses to delete manifests"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
