// build_payload end to end on a synthetic base image in an OCI layout (no network, no pip):
// the layout it writes, reproducibility, the layer cache, and failures leaving dist/ alone.
#include "native/native_build.h"

#include <gtest/gtest.h>

#include <fstream>

#include "native/layer_writer.h"
#include "native/test_util.h"
#include "oci/image_config.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "project/test_project.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;
using E = oci::LayerEntry;

class NativeBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::make_test_base(tmp_.path / "base", {"amd64", "arm64"});
    testing::make_test_base(tmp_.path / "base-amd64", {"amd64"});
    config("oci:" + (tmp_.path / "base").string() + ":stable", "linux/amd64,linux/arm64");
    proj_.write("lava-payloads/hello.docker/main.py", "print('hello')\n");
    proj_.write("lava-payloads/hello.docker/lib/util.py", "X = 1\n");
    context_ = tmp_.path / "ctx";
    fs::create_directories(context_ / "lib");
    write(context_ / "main.py", "print('hello')\n");
    write(context_ / "lib/util.py", "X = 1\n");
    write(context_ / "Dockerfile", "FROM scratch\n");
  }
  void config(const std::string& base, const std::string& platforms, bool os_upgrade = false) {
    proj_.write("config/dev.yaml",
                "realm: dev\nprefix:\n  docker_repo: t/dev\ndocker:\n  platform: " + platforms +
                    "\n  base_img: " + base + "\n  os_upgrade: " + (os_upgrade ? "true" : "false") +
                    "\n");
  }
  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  NativeResult build(const fs::path& cache, int64_t epoch = 0) {
    auto project = project::open_project(proj_.root, "dev");
    NativeOptions options;
    options.cache_dir = cache;
    options.source_date_epoch = epoch;
    return build_payload(project, project.payloads.at(0), context_, options);
  }

  testing::TempDir tmp_;
  TempProject proj_;
  fs::path context_;
};

TEST_F(NativeBuildTest, WritesAnIndexOverThePlatformsTaggedLatest) {
  NativeResult r = build(tmp_.path / "cache");
  EXPECT_EQ(r.layout, proj_.root / "dist/dev/lava-payloads/hello.oci");
  oci::Layout layout = oci::Layout::open(r.layout);
  oci::Descriptor root = layout.root();
  EXPECT_EQ(root.digest, r.index_digest);
  EXPECT_EQ(root.media_type, oci::media::kOciIndex);
  EXPECT_EQ(root.annotations.at(oci::kRefNameAnnotation), "latest");
  auto manifests = layout.image_manifests(root);
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests[0].platform->str(), "linux/amd64");
  EXPECT_EQ(manifests[1].platform->str(), "linux/arm64/v8");
  ASSERT_EQ(r.images.size(), 2u);
  EXPECT_EQ(r.images[1].platform, "linux/arm64");
  for (const auto& d : manifests) {
    oci::Manifest m = layout.read_manifest(d);
    ASSERT_EQ(m.layers.size(), 3u);  // base, users, payload: no requirements, no pip layer
    for (const auto& l : m.layers) EXPECT_TRUE(layout.has_blob(l.digest)) << l.digest.str();
    auto config = oci::ImageConfig::parse(layout.read_blob(m.config.digest));
    EXPECT_EQ(config.diff_ids().size(), 3u);
    EXPECT_EQ(config.json()["config"]["User"], "lava");
    // The users layer edits the base's files.
    auto users = testing::read_tar(lava::read_file(layout.blob_path(m.layers[1].digest)));
    std::map<std::string, std::string> files;
    for (const auto& e : users) files[e.path] = e.data;
    EXPECT_EQ(files["etc/passwd"],
              "root:x:0:0:root:/root:/bin/sh\nlava:x:99999:99999::/lava:/bin/sh\n");
    EXPECT_EQ(files["etc/group"], "root:x:0:\nlava:x:99999:\n");
  }
  EXPECT_TRUE(r.notices.empty());
}

TEST_F(NativeBuildTest, SameInputsSameDigestWhateverTheCache) {
  NativeResult a = build(tmp_.path / "cache-a");
  NativeResult b = build(tmp_.path / "cache-b");
  NativeResult c = build(tmp_.path / "cache-a");
  EXPECT_EQ(a.index_digest, b.index_digest);
  EXPECT_EQ(a.index_digest, c.index_digest);
  EXPECT_EQ(c.layers_reused, 2);  // the users layer of each platform
  EXPECT_EQ(c.layers_built, 1);   // the payload layer, shared by both
  EXPECT_NE(build(tmp_.path / "cache-a", 1700000000).index_digest, a.index_digest);
}

TEST_F(NativeBuildTest, CodeChangeChangesOnlyThePayloadLayer) {
  NativeResult a = build(tmp_.path / "cache");
  oci::Layout la = oci::Layout::open(a.layout);
  auto before = la.read_manifest(la.image_manifests(la.root())[1]).layers;
  write(context_ / "main.py", "print('changed')\n");
  NativeResult b = build(tmp_.path / "cache");
  EXPECT_NE(a.index_digest, b.index_digest);
  oci::Layout lb = oci::Layout::open(b.layout);
  auto after = lb.read_manifest(lb.image_manifests(lb.root())[1]).layers;
  ASSERT_EQ(before.size(), after.size());
  EXPECT_EQ(before[0].digest, after[0].digest);
  EXPECT_EQ(before[1].digest, after[1].digest);
  EXPECT_NE(before[2].digest, after[2].digest);
}

TEST_F(NativeBuildTest, MissingPlatformFailsAndLeavesTheLayoutAlone) {
  NativeResult a = build(tmp_.path / "cache");
  std::string index_before = lava::read_file(a.layout / "index.json");
  config("oci:" + (tmp_.path / "base-amd64").string() + ":stable", "linux/amd64,linux/arm64");
  try {
    build(tmp_.path / "cache");
    FAIL() << "built arm64 from an amd64-only base";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("has no linux/arm64 image"), std::string::npos) << m;
    EXPECT_NE(m.find("base-amd64"), std::string::npos) << m;
  }
  EXPECT_EQ(lava::read_file(a.layout / "index.json"), index_before);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(a.layout.parent_path()))
    left.push_back(e.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"hello.oci"});
}

TEST_F(NativeBuildTest, RequirementsNeedAPythonInTheBase) {
  write(context_ / "requirements.txt", "somepackage\n");
  try {
    build(tmp_.path / "cache");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no python3"), std::string::npos) << e.what();
  }
}

TEST_F(NativeBuildTest, OsUpgradeOnGivesANotice) {
  config("oci:" + (tmp_.path / "base").string() + ":stable", "linux/amd64", true);
  NativeResult r = build(tmp_.path / "cache");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("os_upgrade"), std::string::npos);
}

TEST_F(NativeBuildTest, UnknownTagAndMissingLayoutAreClear) {
  config("oci:" + (tmp_.path / "base").string() + ":nope", "linux/amd64");
  EXPECT_THROW(build(tmp_.path / "cache"), Error);
  config("oci:" + (tmp_.path / "nowhere").string(), "linux/amd64");
  EXPECT_THROW(build(tmp_.path / "cache"), Error);
}

}  // namespace
}  // namespace lava::native
