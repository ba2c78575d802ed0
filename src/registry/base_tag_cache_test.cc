#include "registry/base_tag_cache.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oci/media_types.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::registry {
namespace {

namespace fs = std::filesystem;

struct TempDir : lava::TempDir {
  TempDir() : lava::TempDir(lava::TempDir::create("lava-registry-test-")) {}
};

TEST(BaseTagCache, KeepsTheLastAnswerPerReference) {
  TempDir tmp;
  BaseTagCache cache(tmp.path / "tags");
  const std::string ref = "127.0.0.1:5000/lava/base:latest";
  EXPECT_FALSE(cache.get(ref));
  const auto d1 = oci::Digest::parse("sha256:" + std::string(64, 'a'));
  const auto d2 = oci::Digest::parse("sha256:" + std::string(64, 'b'));
  cache.put(ref, {d1, std::string(oci::media::kOciIndex), 1700000000});
  cache.put("127.0.0.1:5000/lava/base:other", {d2, std::string(oci::media::kOciIndex), 1700000001});
  auto a = cache.get(ref);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->digest, d1);
  EXPECT_EQ(a->media_type, oci::media::kOciIndex);
  EXPECT_EQ(a->asked_at, 1700000000);
  cache.put(ref, {d2, std::string(oci::media::kOciManifest), 1700000100});
  EXPECT_EQ(cache.get(ref)->digest, d2);
  EXPECT_EQ(cache.get(ref)->asked_at, 1700000100);
}

TEST(BaseTagCache, DamagedOrForeignEntriesAreNoAnswer) {
  TempDir tmp;
  BaseTagCache cache(tmp.path);
  const std::string ref = "127.0.0.1:5000/lava/base:latest";
  cache.put(ref, {oci::Digest::parse("sha256:" + std::string(64, 'c')), "x", 1});
  fs::path file;
  for (const auto& e : fs::directory_iterator(tmp.path)) file = e.path();
  ASSERT_FALSE(file.empty());

  write_file_atomic(file, "{\"reference\": ");  // truncated
  EXPECT_FALSE(cache.get(ref));
  // An entry naming another reference (as a hash collision would) is not this tag's answer.
  write_file_atomic(file, nlohmann::json{{"reference", "other/ref:latest"},
                                         {"digest", "sha256:" + std::string(64, 'c')},
                                         {"media_type", "x"},
                                         {"asked_at", 1}}
                              .dump());
  EXPECT_FALSE(cache.get(ref));
  write_file_atomic(
      file,
      nlohmann::json{
          {"reference", ref}, {"digest", "sha256:not-hex"}, {"media_type", "x"}, {"asked_at", 1}}
          .dump());
  EXPECT_FALSE(cache.get(ref));
}

}  // namespace
}  // namespace lava::registry
