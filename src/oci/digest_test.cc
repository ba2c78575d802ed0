#include "oci/digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "util/error.h"
#include "util/subprocess.h"

namespace fs = std::filesystem;
using lava::oci::Digest;

TEST(Digest, ParseValidatesAlgorithmAndHex) {
  std::string hex(64, 'a');
  EXPECT_EQ(Digest::parse("sha256:" + hex).hex(), hex);
  EXPECT_EQ(Digest::parse("sha256:" + hex).str(), "sha256:" + hex);
  EXPECT_THROW(Digest::parse("sha256:" + std::string(63, 'a')), lava::Error);
  EXPECT_THROW(Digest::parse("sha256:" + std::string(64, 'A')), lava::Error);
  EXPECT_THROW(Digest::parse("md5:" + hex), lava::Error);
  EXPECT_THROW(Digest::parse(hex), lava::Error);
  EXPECT_TRUE(Digest::valid("sha512:" + std::string(128, '0')));
}

TEST(Digest, Sha256AgreesWithSha256sum) {
  fs::path f = fs::temp_directory_path() / ("lava-digest-" + std::to_string(::getpid()));
  std::mt19937 rng(7);
  std::string data;
  for (int i = 0; i < 1000003; ++i) data += static_cast<char>(rng());
  { std::ofstream(f, std::ios::binary) << data; }
  auto r = lava::run_process({"sha256sum", f.string()});
  ASSERT_EQ(r.exit_status, 0);
  std::string expected = r.out.substr(0, 64);
  EXPECT_EQ(lava::oci::sha256_of_file(f).hex(), expected);
  EXPECT_EQ(lava::oci::sha256_of(data).hex(), expected);
  lava::oci::Sha256 h;  // in uneven pieces
  for (size_t pos = 0; pos < data.size(); pos += 4097)
    h.update(std::string_view(data).substr(pos, 4097));
  EXPECT_EQ(h.finish().hex(), expected);
  fs::remove(f);
}
