#include "oci/manifest.h"

#include <gtest/gtest.h>

#include "oci/image_config.h"
#include "oci/media_types.h"
#include "util/error.h"

using namespace lava::oci;

namespace {
const std::string kA = "sha256:" + std::string(64, 'a');
const std::string kB = "sha256:" + std::string(64, 'b');
const std::string kC = "sha256:" + std::string(64, 'c');
}  // namespace

TEST(Manifest, ParsesDockerSchema2AndRoundTrips) {
  std::string doc = R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": ")" +
                    kA + R"("},
   "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 3370706, "digest": ")" +
                    kB + R"("}]
  })";
  Manifest m = Manifest::parse(doc);
  EXPECT_EQ(m.media_type, media::kDockerManifest);
  EXPECT_EQ(m.config.digest.str(), kA);
  EXPECT_EQ(m.config.size, 1469);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].size, 3370706);
  Manifest again = Manifest::parse(m.to_json());
  EXPECT_EQ(again.to_json(), m.to_json());
  EXPECT_EQ(again.layers[0], m.layers[0]);
}

TEST(Manifest, OciWithoutMediaTypeIsInferred) {
  std::string doc =
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":")" +
      kA + R"("},"layers":[],"annotations":{"k":"v"}})";
  EXPECT_EQ(detect_media_type(doc), media::kOciManifest);
  Manifest m = Manifest::parse(doc);
  EXPECT_EQ(m.annotations.at("k"), "v");
}

TEST(Manifest, RejectsBadDocumentsWithAClearMessage) {
  EXPECT_THROW(Manifest::parse("not json"), lava::Error);
  EXPECT_THROW(Manifest::parse(R"({"schemaVersion":1,"config":{}})"), lava::Error);
  try {
    Manifest::parse(R"({"schemaVersion":2,"config":{"mediaType":"x","size":-1,"digest":")" + kA +
                        R"("},"layers":[]})",
                    "base image manifest");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("base image manifest"), std::string::npos) << e.what();
  }
  EXPECT_THROW(
      Manifest::parse(
          R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})"),
      lava::Error);
}

TEST(Index, ParsesPlatformsAndRoundTrips) {
  std::string doc =
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
    {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":7143,"digest":")" +
      kB + R"(","platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
    {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":7682,"digest":")" +
      kC + R"(","platform":{"architecture":"amd64","os":"linux","os.features":["sse4"]}}]})";
  Index x = Index::parse(doc);
  EXPECT_EQ(x.media_type, media::kDockerManifestList);
  ASSERT_EQ(x.manifests.size(), 2u);
  EXPECT_EQ(x.manifests[0].platform->str(), "linux/arm64/v8");
  EXPECT_EQ(x.manifests[1].platform->os_features, std::vector<std::string>{"sse4"});
  EXPECT_EQ(Index::parse(x.to_json()).to_json(), x.to_json());
}

TEST(Platform, MatchingFillsArm64Variant) {
  EXPECT_TRUE(Platform::parse("linux/arm64/v8").matches(Platform::parse("linux/arm64")));
  EXPECT_TRUE(Platform::parse("linux/arm64").matches(Platform::parse("linux/arm64/v8")));
  EXPECT_FALSE(Platform::parse("linux/arm/v7").matches(Platform::parse("linux/arm/v6")));
  EXPECT_FALSE(Platform::parse("linux/amd64").matches(Platform::parse("linux/arm64")));
  EXPECT_THROW(Platform::parse("linux"), lava::Error);
}

TEST(ImageConfig, PlatformAndDiffIds) {
  auto c = ImageConfig::parse(
      R"({"architecture":"arm64","os":"linux","variant":"v8","rootfs":{"type":"layers","diff_ids":[")" +
      kA + R"("]}})");
  EXPECT_EQ(c.platform().str(), "linux/arm64/v8");
  ASSERT_EQ(c.diff_ids().size(), 1u);
  EXPECT_EQ(c.diff_ids()[0].str(), kA);
  EXPECT_THROW(ImageConfig::parse(R"({"os":"linux"})"), lava::Error);
}
