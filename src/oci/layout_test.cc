#include "oci/layout.h"

#include <gtest/gtest.h>

#include <fstream>

#include "oci/media_types.h"
#include "util/error.h"
#include "util/file_io.h"

namespace fs = std::filesystem;
using namespace lava::oci;

namespace {
class LayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lava-layout-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};
}  // namespace

TEST_F(LayoutTest, CreateWritesTheLayoutFiles) {
  Layout l = Layout::create(dir_);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "oci-layout"));
  EXPECT_TRUE(fs::is_directory(dir_ / "blobs" / "sha256"));
  EXPECT_TRUE(l.read_index().manifests.empty());
  EXPECT_NO_THROW(Layout::open(dir_));
  EXPECT_THROW(Layout::open(dir_ / "nope"), lava::Error);
}

TEST_F(LayoutTest, BlobsAreStoredUnderTheirDigestAndVerifiedOnRead) {
  Layout l = Layout::create(dir_);
  Descriptor d = l.write_blob("hello", "text/plain");
  EXPECT_EQ(d.digest, sha256_of("hello"));
  EXPECT_EQ(d.size, 5);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "blobs" / "sha256" / d.digest.hex()));
  EXPECT_EQ(l.read_blob(d.digest), "hello");
  { std::ofstream(l.blob_path(d.digest)) << "tampered"; }
  EXPECT_THROW(l.read_blob(d.digest), lava::Error);
  // No temp files left behind.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir_ / "blobs" / "sha256")) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(LayoutTest, StreamingWriterChecksTheExpectedDigest) {
  Layout l = Layout::create(dir_);
  {
    BlobWriter w = l.blob_writer();
    w.write("abc");
    EXPECT_THROW(w.commit(sha256_of("abd")), lava::Error);
  }
  EXPECT_FALSE(l.has_blob(sha256_of("abc")));
  BlobWriter w = l.blob_writer();
  w.write("ab");
  w.write("c");
  EXPECT_EQ(w.commit(sha256_of("abc")), sha256_of("abc"));
  EXPECT_TRUE(l.has_blob(sha256_of("abc")));
}

TEST_F(LayoutTest, PayloadRootIsOneManifestOrAnIndex) {
  Layout l = Layout::create(dir_);
  EXPECT_THROW(l.root(), lava::Error);
  auto make_manifest = [&](const std::string& arch) {
    Manifest m;
    m.config =
        l.write_blob(R"({"architecture":")" + arch + R"(","os":"linux"})", media::kOciConfig);
    Descriptor d = l.write_blob(m.to_json(), media::kOciManifest);
    d.platform = Platform::parse("linux/" + arch);
    return d;
  };
  Descriptor amd = make_manifest("amd64");
  Descriptor one = write_payload_root(l, {amd});
  EXPECT_EQ(one.digest, amd.digest);
  EXPECT_EQ(l.root().annotations.at(kRefNameAnnotation), "latest");
  EXPECT_EQ(l.image_manifests(l.root()).size(), 1u);

  Descriptor arm = make_manifest("arm64");
  Descriptor root = write_payload_root(l, {amd, arm});
  EXPECT_EQ(root.media_type, media::kOciIndex);
  EXPECT_EQ(l.root().digest, root.digest);
  auto children = l.image_manifests(l.root());
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[1].platform->str(), "linux/arm64");
  EXPECT_EQ(l.read_image_index(root).manifests[0].digest, amd.digest);

  Index two;
  two.manifests = {amd, arm};
  l.write_index(two);
  EXPECT_THROW(l.root(), lava::Error);
}
