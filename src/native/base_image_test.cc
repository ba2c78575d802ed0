#include "native/base_image.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "native/test_util.h"
#include "oci/layout.h"
#include "oci/media_types.h"
#include "oci/platform_missing.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A one-image (linux/amd64) layout at `dir`, tagged "v1"; returns the manifest's digest.
oci::Digest write_layout(const fs::path& dir) {
  auto layout = oci::Layout::create(dir);
  const std::string layer = "not a tar, never read here";
  auto layer_desc = layout.write_blob(layer, oci::media::kOciLayerGzip);
  const std::string config =
      nlohmann::json{{"architecture", "amd64"},
                     {"os", "linux"},
                     {"rootfs", {{"type", "layers"}, {"diff_ids", {layer_desc.digest.str()}}}}}
          .dump();
  oci::Manifest m;
  m.media_type = oci::media::kOciManifest;
  m.config = layout.write_blob(config, oci::media::kOciConfig);
  m.layers.push_back(layer_desc);
  auto root = layout.write_blob(m.to_json(), oci::media::kOciManifest);
  layout.set_root(root, "v1");
  return root.digest;
}

TEST(BaseImageDispatch, OciNamesOpenALayoutRelativeToTheProject) {
  TempDir tmp;
  const oci::Digest root = write_layout(tmp.path / "bases" / "mine");
  BaseImageOptions options;
  options.relative_to = tmp.path;
  for (const std::string name : {"oci:bases/mine", "oci:bases/mine:v1"}) {
    auto base = open_base_image(name, options);
    EXPECT_EQ(base->name(), name);
    EXPECT_EQ(base->digest(), root);
    EXPECT_FALSE(base->answered_at());
    auto bm = base->manifest_for(oci::Platform::parse("linux/amd64"));
    ASSERT_EQ(bm.manifest.layers.size(), 1u);
    EXPECT_EQ(
        base->blob_file(bm.manifest.layers[0]),
        tmp.path / "bases" / "mine" / "blobs" / "sha256" / bm.manifest.layers[0].digest.hex());
    EXPECT_FALSE(base->discard_blob(bm.manifest.layers[0]));  // the layout's copy is the only one
    EXPECT_EQ(known_base_digest(name, options), root);
    EXPECT_THROW(base->manifest_for(oci::Platform::parse("linux/arm64")), oci::PlatformMissing);
  }
  EXPECT_EQ(error_of([&] { open_base_image("oci:bases/mine:v2", options); }),
            "base image oci:bases/mine:v2: " + (tmp.path / "bases" / "mine").string() +
                " has no image tagged 'v2'");
}

TEST(BaseImageDispatch, BadLayoutNamesSayWhichBase) {
  BaseImageOptions options;
  EXPECT_EQ(error_of([&] { open_base_image("oci:", options); }),
            "base image oci:: no layout path after oci:");
  const std::string missing = error_of([&] { known_base_digest("oci:/nonexistent/x", options); });
  EXPECT_EQ(missing.rfind("base image oci:/nonexistent/x: ", 0), 0u) << missing;
}

TEST(BaseImageDispatch, OtherNamesAreRegistryReferences) {
  // A reference pinned by digest resolves with no registry (nothing listens on port 9).
  const std::string digest = "sha256:" + std::string(64, 'e');
  BaseImageOptions options;
  EXPECT_EQ(known_base_digest("127.0.0.1:9/lava/base@" + digest, options),
            oci::Digest::parse(digest));
  // A tag with no tag cache: only the registry could tell.
  EXPECT_FALSE(known_base_digest("127.0.0.1:9/lava/base:latest", options));
}

}  // namespace
}  // namespace lava::native
