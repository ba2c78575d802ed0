#include "native/image_assembly.h"

#include <gtest/gtest.h>

#include "oci/media_types.h"

namespace lava::native {
namespace {

LayerBlob blob(char c) {
  LayerBlob b;
  b.digest = oci::Digest::sha256_hex(std::string(64, c));
  b.diff_id = oci::Digest::sha256_hex(std::string(64, static_cast<char>(c + 1)));
  b.size = 100;
  return b;
}

oci::ImageConfig base_config() {
  return oci::ImageConfig::parse(R"({
    "architecture": "arm64", "variant": "v8", "os": "linux", "created": "2024-05-01T10:00:00Z",
    "container_config": {"Cmd": ["/bin/sh"]}, "docker_version": "20.10",
    "config": {"Env": ["PATH=/usr/bin:/bin", "LANG=en_US.UTF-8"], "Cmd": ["bash"], "WorkingDir": "/w",
               "Labels": {"org.opencontainers.image.source": "https://example.com/base", "keep": "me"}},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:)" +
                                 std::string(64, '0') + R"("]},
    "history": [{"created": "2024-05-01T10:00:00Z", "created_by": "base"}]})");
}

Provenance provenance() {
  Provenance p;
  p.created = 86400;
  p.source = "https://git.example.com/team/project.git";
  p.revision = std::string(40, 'a');
  p.title = "hello";
  p.builder = "lava-docker 9.9 (native engine)";
  p.base_name = "registry.example.com/base:1";
  return p;
}

TEST(ImageAssembly, ConfigHasTheDefaultDockerfilesEnvUserAndOurLayers) {
  std::vector<AddedLayer> layers = {{blob('1'), "users"}, {blob('3'), "COPY . /lava/"}};
  auto j = nlohmann::json::parse(image_config_json(base_config(), layers, provenance()));
  EXPECT_EQ(j["created"], "1970-01-02T00:00:00Z");
  EXPECT_EQ(j["architecture"], "arm64");
  EXPECT_EQ(j["variant"], "v8");
  EXPECT_FALSE(j.contains("container_config"));
  EXPECT_FALSE(j.contains("docker_version"));
  auto& c = j["config"];
  EXPECT_EQ(c["Env"], nlohmann::json::parse(R"(["PATH=/usr/bin:/bin", "LANG=C.UTF-8",
      "PYTHONDONTWRITEBYTECODE=1", "PYTHONUNBUFFERED=1"])"));
  EXPECT_EQ(c["User"], "lava");
  EXPECT_EQ(c["WorkingDir"], "/w");
  EXPECT_EQ(c["Cmd"], nlohmann::json::parse(R"(["bash"])"));
  EXPECT_EQ(c["Labels"]["keep"], "me");
  EXPECT_EQ(c["Labels"]["org.opencontainers.image.source"],
            "https://git.example.com/team/project.git");
  EXPECT_EQ(c["Labels"]["org.opencontainers.image.revision"], std::string(40, 'a'));
  EXPECT_EQ(c["Labels"]["org.opencontainers.image.created"], "1970-01-02T00:00:00Z");
  EXPECT_EQ(c["Labels"][kBuilderLabel], "lava-docker 9.9 (native engine)");
  auto& diff_ids = j["rootfs"]["diff_ids"];
  ASSERT_EQ(diff_ids.size(), 3u);
  EXPECT_EQ(diff_ids[1], blob('1').diff_id.str());
  EXPECT_EQ(diff_ids[2], blob('3').diff_id.str());
  auto& h = j["history"];
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[1]["created_by"], "users");
  EXPECT_EQ(h[2]["created_by"], "COPY . /lava/");
  EXPECT_EQ(h[3]["created_by"], "ENV LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1");
  EXPECT_EQ(h[3]["empty_layer"], true);
  EXPECT_EQ(h[4]["created_by"], "USER lava");
  // Non-empty history entries match the layers one to one.
  int non_empty = 0;
  for (const auto& e : h) non_empty += e.value("empty_layer", false) ? 0 : 1;
  EXPECT_EQ(non_empty, static_cast<int>(diff_ids.size()));
}

TEST(ImageAssembly, NoGitMeansNoSourceLabelsNotTheBases) {
  Provenance p = provenance();
  p.source.clear();
  p.revision.clear();
  auto j = nlohmann::json::parse(image_config_json(base_config(), {}, p));
  EXPECT_FALSE(j["config"]["Labels"].contains("org.opencontainers.image.source"));
  EXPECT_FALSE(j["config"]["Labels"].contains("org.opencontainers.image.revision"));
}

TEST(ImageAssembly, SameInputsSameBytes) {
  std::vector<AddedLayer> layers = {{blob('5'), "x"}};
  EXPECT_EQ(image_config_json(base_config(), layers, provenance()),
            image_config_json(base_config(), layers, provenance()));
}

TEST(ImageAssembly, ManifestListsBaseLayersThenOursWithAnnotations) {
  oci::Manifest base;
  base.media_type = std::string(oci::media::kDockerManifest);
  base.layers.push_back(oci::Descriptor::of(oci::media::kDockerLayerGzip, blob('a').digest, 7));
  oci::Descriptor base_desc = oci::Descriptor::of(oci::media::kDockerManifest, blob('b').digest, 9);
  oci::Descriptor config = oci::Descriptor::of(oci::media::kOciConfig, blob('c').digest, 11);
  auto m = image_manifest(base, base_desc, {{blob('1'), "users"}}, config, provenance());
  EXPECT_EQ(m.media_type, oci::media::kOciManifest);
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(m.layers[0].media_type, oci::media::kOciLayerGzip);
  EXPECT_EQ(m.layers[0].digest, blob('a').digest);
  EXPECT_EQ(m.layers[1].digest, blob('1').digest);
  EXPECT_EQ(m.config.digest, config.digest);
  EXPECT_EQ(m.annotations.at("org.opencontainers.image.base.digest"), blob('b').digest.str());
  EXPECT_EQ(m.annotations.at("org.opencontainers.image.base.name"), "registry.example.com/base:1");
  EXPECT_EQ(m.annotations.at("org.opencontainers.image.created"), "1970-01-02T00:00:00Z");
}

}  // namespace
}  // namespace lava::native
