#include "oci/docker_archive.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "oci/gzip.h"
#include "oci/media_types.h"
#include "oci/test_tar.h"
#include "util/error.h"
#include "util/subprocess.h"

namespace fs = std::filesystem;
using namespace lava::oci;
using lava::testing::make_tar;
using lava::testing::TarEntry;
using nlohmann::json;

namespace {

std::string layer_tar(const std::string& file, const std::string& content) {
  return make_tar({{file, content}});
}

std::string config_for(const std::vector<std::string>& layers, const std::string& arch) {
  json diff_ids = json::array();
  for (const auto& l : layers) diff_ids.push_back(sha256_of(l).str());
  return json{{"architecture", arch},
              {"os", "linux"},
              {"config", {{"Env", {"PATH=/bin"}}, {"Cmd", {"/hello"}}}},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}}
      .dump();
}

// What `docker save` wrote before Docker 25: <id>/layer.tar, <config-hex>.json, and a
// duplicate layer stored once with a symlink.
std::string legacy_archive(const std::vector<std::string>& layers, const std::string& arch) {
  std::string config = config_for(layers, arch);
  std::string config_name = sha256_of(config).hex() + ".json";
  std::vector<TarEntry> entries;
  json layer_paths = json::array();
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string id = std::string(63, 'a' + static_cast<char>(i)) + "0";
    entries.push_back({id + "/VERSION", "1.0"});
    entries.push_back({id + "/json", R"({"id":")" + id + R"("})"});
    if (i > 0 && layers[i] == layers[0]) {
      entries.push_back({id + "/layer.tar", "", "../" + std::string(63, 'a') + "0/layer.tar"});
    } else {
      entries.push_back({id + "/layer.tar", layers[i]});
    }
    layer_paths.push_back(id + "/layer.tar");
  }
  entries.push_back({config_name, config});
  json manifest = json::array(
      {{{"Config", config_name}, {"RepoTags", {"demo/hello:latest"}}, {"Layers", layer_paths}}});
  entries.push_back({"manifest.json", manifest.dump()});
  entries.push_back({"repositories", R"({"demo/hello":{"latest":"x"}})"});
  return make_tar(entries);
}

// What Docker 25+ writes: an OCI layout plus manifest.json, layers named by their diff_id.
std::string oci_style_archive(const std::vector<std::string>& layers, const std::string& arch) {
  std::string config = config_for(layers, arch);
  std::vector<TarEntry> entries;
  Manifest m;
  m.config = Descriptor::of(media::kOciConfig, sha256_of(config), (int64_t)config.size());
  json layer_paths = json::array();
  for (const auto& l : layers) {
    Descriptor d = Descriptor::of(media::kOciLayer, sha256_of(l), (int64_t)l.size());
    m.layers.push_back(d);
    entries.push_back({"blobs/sha256/" + d.digest.hex(), l});
    layer_paths.push_back("blobs/sha256/" + d.digest.hex());
  }
  entries.push_back({"blobs/sha256/" + sha256_of(config).hex(), config});
  std::string mj = m.to_json();
  entries.push_back({"blobs/sha256/" + sha256_of(mj).hex(), mj});
  Index idx;
  idx.manifests.push_back(Descriptor::of(media::kOciManifest, sha256_of(mj), (int64_t)mj.size()));
  entries.push_back({"index.json", idx.to_json()});
  json manifest = json::array({{{"Config", "blobs/sha256/" + sha256_of(config).hex()},
                                {"RepoTags", {"demo/hello:latest"}},
                                {"Layers", layer_paths}}});
  entries.push_back({"manifest.json", manifest.dump()});
  entries.push_back({"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"});
  return make_tar(entries);
}

class DockerArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("lava-archive-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  Descriptor import(const std::string& archive, const Layout& layout, const LayerCache& cache,
                    ImportStats* stats = nullptr) {
    std::istringstream in(archive);
    ImportOptions o;
    o.stats = stats;
    return import_docker_archive(in, layout, cache, o);
  }
  fs::path root_;
  std::vector<std::string> layers_ = {layer_tar("hello", "#!/bin/sh\necho hi\n"),
                                      layer_tar("etc/motd", std::string(200000, 'x'))};
};

}  // namespace

TEST_F(DockerArchiveTest, LegacyArchiveBecomesAnOciImage) {
  Layout layout = Layout::create(root_ / "out");
  LayerCache cache(root_ / "cache");
  ImportStats stats;
  Descriptor d = import(legacy_archive(layers_, "arm64"), layout, cache, &stats);
  EXPECT_EQ(d.media_type, media::kOciManifest);
  EXPECT_EQ(d.platform->str(), "linux/arm64");
  EXPECT_EQ(stats.layers, 2);
  EXPECT_EQ(stats.layers_compressed, 2);
  Manifest m = layout.read_manifest(d);
  ASSERT_EQ(m.layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(m.layers[i].media_type, media::kOciLayerGzip);
    // The blob is gzip of exactly the layer tar, checked with gzip(1).
    auto r = lava::run_process({"gzip", "-dc", layout.blob_path(m.layers[i].digest).string()});
    EXPECT_EQ(r.out, layers_[i]);
    EXPECT_EQ(m.layers[i].size, (int64_t)fs::file_size(layout.blob_path(m.layers[i].digest)));
  }
  EXPECT_EQ(sha256_of(layout.read_blob(m.config.digest)), m.config.digest);
}

TEST_F(DockerArchiveTest, SymlinkedDuplicateLayerIsResolved) {
  Layout layout = Layout::create(root_ / "out");
  LayerCache cache(root_ / "cache");
  std::vector<std::string> three = {layers_[0], layers_[1], layers_[0]};
  Descriptor d = import(legacy_archive(three, "amd64"), layout, cache);
  Manifest m = layout.read_manifest(d);
  ASSERT_EQ(m.layers.size(), 3u);
  EXPECT_EQ(m.layers[0].digest, m.layers[2].digest);
}

TEST_F(DockerArchiveTest, CacheMeansNoSecondCompression) {
  LayerCache cache(root_ / "cache");
  Layout first = Layout::create(root_ / "a");
  ImportStats s1, s2, s3;
  Descriptor d1 = import(oci_style_archive(layers_, "amd64"), first, cache, &s1);
  EXPECT_EQ(s1.layers_compressed, 2);
  Layout second = Layout::create(root_ / "b");
  Descriptor d2 = import(oci_style_archive(layers_, "amd64"), second, cache, &s2);
  EXPECT_EQ(s2.layers_compressed, 0);
  EXPECT_EQ(s2.layers_from_cache, 2);
  EXPECT_EQ(d1.digest, d2.digest);
  // A legacy archive of the same layers cannot know diff_ids up front, but still ends on
  // the cached blobs, so the manifest digest is the same.
  Layout third = Layout::create(root_ / "c");
  Descriptor d3 = import(legacy_archive(layers_, "amd64"), third, cache, &s3);
  EXPECT_EQ(s3.layers_from_cache, 0);
  Manifest m1 = first.read_manifest(d1);
  Manifest m3 = third.read_manifest(d3);
  EXPECT_EQ(m1.layers[0].digest, m3.layers[0].digest);
  EXPECT_EQ(m1.layers[1].digest, m3.layers[1].digest);
}

TEST_F(DockerArchiveTest, AlreadyCompressedLayersAreKept) {
  std::string gz;
  {
    GzipCompressor c([&](const char* p, size_t n) { gz.append(p, n); }, 9);
    c.write(layers_[1].data(), layers_[1].size());
    c.finish();
  }
  std::vector<std::string> stored = {layers_[0], gz};
  // Build an archive whose second layer is stored compressed, config naming diff_ids.
  std::string config = config_for(layers_, "amd64");
  std::vector<TarEntry> entries = {
      {"l0/layer.tar", layers_[0]},
      {"l1/layer.tar", gz},
      {"c.json", config},
      {"manifest.json",
       json::array({{{"Config", "c.json"}, {"Layers", {"l0/layer.tar", "l1/layer.tar"}}}}).dump()}};
  Layout layout = Layout::create(root_ / "out");
  LayerCache cache(root_ / "cache");
  Descriptor d = import(make_tar(entries), layout, cache);
  Manifest m = layout.read_manifest(d);
  EXPECT_EQ(m.layers[1].digest, sha256_of(gz));
}

TEST_F(DockerArchiveTest, ContentNotMatchingTheConfigIsRejected) {
  auto archive = legacy_archive(layers_, "amd64");
  std::vector<std::string> other = {layers_[0], layer_tar("etc/motd", "changed")};
  std::string config = config_for(layers_, "amd64");  // promises the original layers
  std::vector<TarEntry> entries = {
      {"l0/layer.tar", other[0]},
      {"l1/layer.tar", other[1]},
      {"c.json", config},
      {"manifest.json",
       json::array({{{"Config", "c.json"}, {"Layers", {"l0/layer.tar", "l1/layer.tar"}}}}).dump()}};
  Layout layout = Layout::create(root_ / "out");
  try {
    import(make_tar(entries), layout, LayerCache(root_ / "cache"));
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("l1/layer.tar has diff_id"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(import("this is not a tar archive at all", layout, LayerCache()), lava::Error);
}

TEST_F(DockerArchiveTest, UmociAndSkopeoReadTheResult) {
  Layout layout = Layout::create(root_ / "img");
  Descriptor amd = import(oci_style_archive(layers_, "amd64"), layout, LayerCache());
  Descriptor arm = import(legacy_archive(layers_, "arm64"), layout, LayerCache());
  write_payload_root(layout, {amd, arm});
  auto inspect = lava::run_process(
      {"skopeo", "inspect", "--raw", "oci:" + (root_ / "img").string() + ":latest"});
  ASSERT_EQ(inspect.exit_status, 0) << inspect.err;
  json idx = json::parse(inspect.out);
  EXPECT_EQ(idx["mediaType"], media::kOciIndex);
  EXPECT_EQ(idx["manifests"][1]["platform"]["architecture"], "arm64");
  // umoci unpacks a single-platform image: make amd64 the root and unpack it.
  write_payload_root(layout, {amd});
  auto stat = lava::run_process({"umoci", "stat", "--image", (root_ / "img").string() + ":latest"});
  ASSERT_EQ(stat.exit_status, 0) << stat.err;
  auto unpack =
      lava::run_process({"umoci", "unpack", "--rootless", "--image",
                         (root_ / "img").string() + ":latest", (root_ / "bundle").string()});
  ASSERT_EQ(unpack.exit_status, 0) << unpack.err;
  std::ifstream hello(root_ / "bundle" / "rootfs" / "hello");
  std::stringstream ss;
  ss << hello.rdbuf();
  EXPECT_EQ(ss.str(), "#!/bin/sh\necho hi\n");
  EXPECT_EQ(fs::file_size(root_ / "bundle" / "rootfs" / "etc" / "motd"), 200000u);
}
