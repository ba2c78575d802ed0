#include "oci/gzip.h"

#include <zlib.h>

#include <cstring>

#include "util/error.h"

namespace lava::oci {

namespace {
constexpr size_t kChunk = 1 << 16;
}

GzipCompressor::GzipCompressor(ByteSink out, int level) : out_(std::move(out)) {
  auto* z = new z_stream{};
  z_ = z;
  // windowBits 15 + 16: a gzip wrapper.
  if (deflateInit2(z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("zlib: cannot start compression");
  static gz_header header{};  // zero: no name, no mtime
  header.os = 255;
  deflateSetHeader(z, &header);
}

GzipCompressor::~GzipCompressor() {
  auto* z = static_cast<z_stream*>(z_);
  deflateEnd(z);
  delete z;
}

void GzipCompressor::pump(int flush) {
  auto* z = static_cast<z_stream*>(z_);
  char buf[kChunk];
  int rc;
  do {
    z->next_out = reinterpret_cast<Bytef*>(buf);
    z->avail_out = kChunk;
    rc = deflate(z, flush);
    if (rc == Z_STREAM_ERROR) throw Error("zlib: compression failed");
    size_t have = kChunk - z->avail_out;
    if (have) out_(buf, have);
  } while (z->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

void GzipCompressor::write(const void* data, size_t n) {
  auto* z = static_cast<z_stream*>(z_);
  const Bytef* p = static_cast<const Bytef*>(data);
  while (n > 0) {
    uInt piece = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    z->next_in = const_cast<Bytef*>(p);
    z->avail_in = piece;
    pump(Z_NO_FLUSH);
    p += piece;
    n -= piece;
  }
}

void GzipCompressor::finish() {
  if (finished_) return;
  auto* z = static_cast<z_stream*>(z_);
  z->next_in = nullptr;
  z->avail_in = 0;
  pump(Z_FINISH);
  finished_ = true;
}

GzipDecompressor::GzipDecompressor(ByteSink out) : out_(std::move(out)) {
  auto* z = new z_stream{};
  z_ = z;
  if (inflateInit2(z, 15 + 16) != Z_OK) throw Error("zlib: cannot start decompression");
}

GzipDecompressor::~GzipDecompressor() {
  auto* z = static_cast<z_stream*>(z_);
  inflateEnd(z);
  delete z;
}

void GzipDecompressor::write(const void* data, size_t n) {
  auto* z = static_cast<z_stream*>(z_);
  z->next_in = const_cast<Bytef*>(static_cast<const Bytef*>(data));
  z->avail_in = static_cast<uInt>(n);
  char buf[kChunk];
  while (z->avail_in > 0 || !ended_) {
    if (ended_) {
      // Concatenated gzip members are valid gzip: continue with the next one.
      if (inflateReset(z) != Z_OK) throw Error("zlib: reset failed");
      ended_ = false;
    }
    z->next_out = reinterpret_cast<Bytef*>(buf);
    z->avail_out = kChunk;
    int rc = inflate(z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      throw Error(std::string("gzip data is corrupt: ") + (z->msg ? z->msg : "inflate failed"));
    size_t have = kChunk - z->avail_out;
    if (have) out_(buf, have);
    if (rc == Z_STREAM_END) ended_ = true;
    if (rc == Z_BUF_ERROR || (z->avail_in == 0 && have < kChunk)) break;
  }
}

void GzipDecompressor::finish() {
  if (!ended_) throw Error("gzip data ends early");
}

}  // namespace lava::oci
