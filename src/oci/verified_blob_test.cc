#include "oci/verified_blob.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "util/file_io.h"

namespace lava::oci {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path = fs::temp_directory_path() / ("verified-blob-" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

TEST(VerifiedBlob, PlacesAnIndependentReadOnlyCopy) {
  Dir d;
  write(d.path / "src", "layer bytes");
  Digest digest = sha256_of("layer bytes");
  place_verified(d.path / "src", d.path / "dest", digest, 11);
  EXPECT_EQ(read_file(d.path / "dest"), "layer bytes");
  struct stat a, b;
  ASSERT_EQ(::stat((d.path / "src").c_str(), &a), 0);
  ASSERT_EQ(::stat((d.path / "dest").c_str(), &b), 0);
  EXPECT_NE(a.st_ino, b.st_ino) << "a hard link shares writes with the cache";
  EXPECT_EQ(b.st_mode & 0777, 0444u);
  // An in-place write to the source leaves the placed copy as it was.
  ::chmod((d.path / "src").c_str(), 0644);
  write(d.path / "src", "LAYER bytes");
  EXPECT_EQ(read_file(d.path / "dest"), "layer bytes");
}

TEST(VerifiedBlob, DamagedOrTruncatedSourceIsRefusedAndNothingPlaced) {
  Dir d;
  Digest digest = sha256_of("layer bytes");
  write(d.path / "flipped", "layer bytez");
  EXPECT_THROW(place_verified(d.path / "flipped", d.path / "a", digest, 11), BlobDigestMismatch);
  write(d.path / "empty", "");
  EXPECT_THROW(place_verified(d.path / "empty", d.path / "b", digest, 11), BlobDigestMismatch);
  EXPECT_THROW(place_verified(d.path / "absent", d.path / "c", digest, 11), BlobDigestMismatch);
  for (const auto& e : fs::directory_iterator(d.path)) {
    std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "flipped" || name == "empty") << "left behind: " << name;
  }
  EXPECT_THROW(verify_blob_file(d.path / "flipped", digest), BlobDigestMismatch);
  EXPECT_NO_THROW(verify_blob_file(d.path / "flipped", sha256_of("layer bytez"), 11));
}

}  // namespace
}  // namespace lava::oci
