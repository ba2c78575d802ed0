#include "oci/parallel_gzip.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "native/test_util.h"

namespace lava::native {
namespace {

std::string compress(const std::string& data, unsigned threads, size_t piece = 0) {
  std::string out;
  oci::ParallelGzip gz([&](const char* p, size_t n) { out.append(p, n); }, 6, threads);
  if (piece == 0) {
    gz.write(data.data(), data.size());
  } else {
    for (size_t i = 0; i < data.size(); i += piece)
      gz.write(data.data() + i, std::min(piece, data.size() - i));
  }
  gz.finish();
  return out;
}

std::string sample(size_t n, unsigned seed, bool compressible) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(compressible ? "lava docker\n"[rng() % 12] : rng());
  return s;
}

TEST(ParallelGzip, RoundTripsAtChunkBoundaries) {
  const size_t k = oci::ParallelGzip::kChunk;
  for (size_t n : {size_t{0}, size_t{1}, k - 1, k, k + 1, 3 * k + 12345}) {
    for (bool compressible : {true, false}) {
      std::string data = sample(n, static_cast<unsigned>(n), compressible);
      EXPECT_EQ(testing::gunzip(compress(data, 3)), data) << n << " " << compressible;
    }
  }
}

TEST(ParallelGzip, OutputDoesNotDependOnThreadsOrWriteSizes) {
  std::string data = sample(5 * oci::ParallelGzip::kChunk + 777, 3, true);
  std::string one = compress(data, 1);
  EXPECT_EQ(compress(data, 4), one);
  EXPECT_EQ(compress(data, 2, 1000), one);
  EXPECT_EQ(compress(data, 3, 4096 * 64 + 1), one);
}

TEST(ParallelGzip, LaterChunksUseTheEarlierOnesAsDictionary) {
  // A random 16 KiB block repeated over four chunks: without the previous chunk as its
  // dictionary, each chunk would have to spell the block out once more.
  std::string block = sample(16 * 1024, 9, false);
  std::string data;
  while (data.size() < 4 * oci::ParallelGzip::kChunk) data += block;
  std::string out = compress(data, 2);
  EXPECT_LT(out.size(), block.size() + block.size() / 2);
  EXPECT_EQ(testing::gunzip(out), data);
}

TEST(ParallelGzip, SystemGzipAgrees) {
  // An independent decoder: gzip(1) must read the stream and find the same bytes.
  std::string data = sample(3 * oci::ParallelGzip::kChunk + 5, 11, true);
  testing::TempDir t;
  std::ofstream(t.path / "x.gz", std::ios::binary) << compress(data, 2);
  std::string cmd = "gzip -dc " + (t.path / "x.gz").string();
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(::pclose(p), 0);
  EXPECT_EQ(out, data);
}

}  // namespace
}  // namespace lava::native
