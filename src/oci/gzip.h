// Streaming gzip (zlib) in both directions. Output is deterministic: no file name, mtime 0,
// OS "unknown", so the same input and level give the same bytes on every host.
#pragma once

#include <functional>
#include <string_view>

namespace lava::oci {

using ByteSink = std::function<void(const char* data, size_t n)>;

class GzipCompressor {
 public:
  explicit GzipCompressor(ByteSink out, int level = 6);
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;
  void write(const void* data, size_t n);
  void finish();

 private:
  void pump(int flush);
  ByteSink out_;
  void* z_;
  bool finished_ = false;
};

class GzipDecompressor {
 public:
  explicit GzipDecompressor(ByteSink out);
  ~GzipDecompressor();
  GzipDecompressor(const GzipDecompressor&) = delete;
  GzipDecompressor& operator=(const GzipDecompressor&) = delete;
  void write(const void* data, size_t n);
  // Throws lava::Error when the stream ended early.
  void finish();

 private:
  ByteSink out_;
  void* z_;
  bool ended_ = false;
};

inline bool looks_gzipped(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
         static_cast<unsigned char>(head[1]) == 0x8b;
}

}  // namespace lava::oci
