#include "oci/gzip.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "util/error.h"
#include "util/subprocess.h"

namespace fs = std::filesystem;
using namespace lava::oci;

namespace {
std::string compress(const std::string& data, int level = 6) {
  std::string out;
  GzipCompressor gz([&](const char* p, size_t n) { out.append(p, n); }, level);
  for (size_t pos = 0; pos < data.size(); pos += 100000)
    gz.write(data.data() + pos, std::min<size_t>(100000, data.size() - pos));
  gz.finish();
  return out;
}
std::string sample() {
  std::mt19937 rng(3);
  std::string data;
  for (int i = 0; i < 2000000; ++i) data += static_cast<char>('a' + rng() % 7);
  return data;
}
}  // namespace

TEST(Gzip, GunzipReadsWhatWeWriteAndOutputIsDeterministic) {
  std::string data = sample();
  std::string gz = compress(data);
  EXPECT_EQ(gz, compress(data));
  EXPECT_LT(gz.size(), data.size());
  // Header: magic, deflate, no flags, mtime 0, OS 255.
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(gz.substr(3, 5), std::string(5, '\0'));
  EXPECT_EQ(static_cast<unsigned char>(gz[9]), 255);
  auto r = lava::run_process({"gzip", "-dc"}, gz);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, data);
}

TEST(Gzip, DecompressesWhatGzipWrites) {
  std::string data = sample();
  auto r = lava::run_process({"gzip", "-c", "-9"}, data);
  ASSERT_EQ(r.exit_status, 0);
  std::string out;
  GzipDecompressor d([&](const char* p, size_t n) { out.append(p, n); });
  for (size_t pos = 0; pos < r.out.size(); pos += 777)
    d.write(r.out.data() + pos, std::min<size_t>(777, r.out.size() - pos));
  d.finish();
  EXPECT_EQ(out, data);
}

TEST(Gzip, TruncatedOrCorruptInputIsAnError) {
  std::string gz = compress(sample());
  std::string out;
  GzipDecompressor d([&](const char* p, size_t n) { out.append(p, n); });
  d.write(gz.data(), gz.size() / 2);
  EXPECT_THROW(d.finish(), lava::Error);
  std::string bad = gz;
  bad[100] ^= 0x55;
  bad[101] ^= 0x55;
  GzipDecompressor d2([](const char*, size_t) {});
  EXPECT_THROW(
      {
        d2.write(bad.data(), bad.size());
        d2.finish();
      },
      lava::Error);
}
