#include "registry/registry_base.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oci/blob_writer.h"
#include "oci/media_types.h"
#include "registry/base_tag_cache.h"
#include "util/error.h"
#include "util/temp_dir.h"

namespace lava::registry {
namespace {

namespace fs = std::filesystem;

// A base whose tag answer, index, manifest, config and layer are all in the caches opens
// with no registry at all: nothing listens on 127.0.0.1:9.
class OfflineBase : public ::testing::Test {
 protected:
  const std::string name = "127.0.0.1:9/lava/offline:latest";
  lava::TempDir tmp = lava::TempDir::create("lava-registry-test-");
  RegistryBaseOptions options;
  oci::Digest index_digest, layer_digest;

  oci::Digest put_blob(const std::string& bytes) {
    oci::BlobWriter w(options.blob_cache);
    w.write(bytes);
    return w.commit();
  }

  void SetUp() override {
    options.blob_cache = tmp.path / "blobs";
    options.tag_cache = tmp.path / "base-tags";
    options.scheme_hints = tmp.path / "registry-schemes";
    const std::string layer = "not really a tar, never read here";
    layer_digest = put_blob(layer);
    const std::string config =
        nlohmann::json{{"architecture", "amd64"},
                       {"os", "linux"},
                       {"config", nlohmann::json::object()},
                       {"rootfs", {{"type", "layers"}, {"diff_ids", {layer_digest.str()}}}}}
            .dump();
    const auto config_digest = put_blob(config);
    const std::string manifest = nlohmann::json{
        {"schemaVersion", 2},
        {"mediaType", oci::media::kOciManifest},
        {"config",
         {{"mediaType", oci::media::kOciConfig},
          {"digest", config_digest.str()},
          {"size", config.size()}}},
        {"layers",
         {{{"mediaType", oci::media::kOciLayerGzip},
           {"digest", layer_digest.str()},
           {"size", layer.size()}}}}}.dump();
    const auto manifest_digest = put_blob(manifest);
    const std::string index =
        nlohmann::json{{"schemaVersion", 2},
                       {"mediaType", oci::media::kOciIndex},
                       {"manifests",
                        {{{"mediaType", oci::media::kOciManifest},
                          {"digest", manifest_digest.str()},
                          {"size", manifest.size()},
                          {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}}}}}
            .dump();
    index_digest = put_blob(index);
    BaseTagCache(options.tag_cache)
        .put(name, {index_digest, std::string(oci::media::kOciIndex), 1700000000});
  }
};

TEST_F(OfflineBase, EverythingCachedNeedsNoRegistry) {
  auto base = open_registry_base(name, options);
  EXPECT_EQ(base->digest(), index_digest);
  ASSERT_TRUE(base->answered_at());
  EXPECT_EQ(*base->answered_at(), 1700000000);
  auto bm = base->manifest_for(oci::Platform::parse("linux/amd64"));
  ASSERT_EQ(bm.manifest.layers.size(), 1u);
  EXPECT_EQ(bm.manifest.layers[0].digest, layer_digest);
  EXPECT_EQ(base->blob_file(bm.manifest.layers[0]),
            oci::blob_file(options.blob_cache, layer_digest));
  EXPECT_EQ(known_registry_base_digest(name, options), index_digest);
  // A name pinned by digest needs no tag answer either.
  auto pinned = open_registry_base("127.0.0.1:9/lava/offline@" + index_digest.str(), options);
  EXPECT_EQ(pinned->digest(), index_digest);
  EXPECT_FALSE(pinned->answered_at());
}

TEST_F(OfflineBase, PullAndUnknownTagsAskTheRegistry) {
  EXPECT_FALSE(known_registry_base_digest("127.0.0.1:9/lava/offline:other", options));
  options.refresh = true;
  try {
    open_registry_base(name, options);
    FAIL() << "--pull did not ask the registry";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("base image " + name), std::string::npos) << e.what();
  }
  EXPECT_THROW(known_registry_base_digest(name, options), Error);
  options.refresh = false;
  fs::remove(oci::blob_file(options.blob_cache, index_digest));  // the answer's manifest is gone
  EXPECT_THROW(open_registry_base(name, options), Error);
}

}  // namespace
}  // namespace lava::registry
