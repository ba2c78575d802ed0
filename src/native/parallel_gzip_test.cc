#include "oci/parallel_gzip.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "native/test_util.h"
#include "oci/gzip.h"
#include "util/error.h"

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

TEST(ParallelGzip, EachChunkIsAGzipMemberOfItsOwn) {
  // Three full chunks and a bit: four members, each starting with the gzip magic and
  // decompressing on its own to its chunk.
  const size_t k = oci::ParallelGzip::kChunk;
  std::string data = sample(3 * k + 100, 5, true);
  std::string out = compress(data, 2);
  std::vector<size_t> starts;
  for (size_t i = out.find("\x1f\x8b\x08"); i != std::string::npos;
       i = out.find("\x1f\x8b\x08", i + 1))
    starts.push_back(i);
  ASSERT_GE(starts.size(), 4u);
  EXPECT_EQ(starts[0], 0u);
  // The first member alone is the first chunk (a decoder stops where its data ends).
  std::string first = testing::gunzip(out.substr(0, starts[1]));
  EXPECT_EQ(first, data.substr(0, k));
  EXPECT_EQ(testing::gunzip(out), data);
}

TEST(ParallelGzip, CompressesAsWellAsZlibWithinOnePercent) {
  // Text-like data (a layer is mostly source): the chunks' lost context must stay small.
  std::string data;
  std::mt19937 rng(7);
  const char* words[] = {"import", "def", "return", "self", "lava", "docker", "payload", "\n    "};
  while (data.size() < 4 * oci::ParallelGzip::kChunk) {
    data += words[rng() % 8];
    data += std::to_string(rng() % 1000);
    data += ' ';
  }
  std::string ours = compress(data, 2);
  std::string zlib;
  oci::GzipCompressor z([&](const char* p, size_t n) { zlib.append(p, n); }, 6);
  z.write(data.data(), data.size());
  z.finish();
  EXPECT_LT(static_cast<double>(ours.size()), 1.01 * static_cast<double>(zlib.size()));
}

TEST(ParallelGzip, RejectsALevelLibdeflateDoesNotHave) {
  EXPECT_THROW(oci::ParallelGzip([](const char*, size_t) {}, 13), Error);
  EXPECT_THROW(oci::ParallelGzip([](const char*, size_t) {}, 0), Error);
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
