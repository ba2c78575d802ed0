// Gzip compression on several cores with output that does not depend on how many: the input
// is cut into fixed-size chunks, each deflated on its own with the previous chunk's last
// 32 KiB as its dictionary and ended on a byte boundary, and the pieces are joined in order
// into one ordinary gzip member (the technique pigz uses). Memory stays bounded: a few chunks
// in flight, never the stream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lava::oci {

class ParallelGzip {
 public:
  using Sink = std::function<void(const char* data, size_t n)>;

  // `threads` 0: one per core, at most 8. `level` as zlib's (1..9).
  explicit ParallelGzip(Sink out, int level = 6, unsigned threads = 0);
  ~ParallelGzip();
  ParallelGzip(const ParallelGzip&) = delete;
  ParallelGzip& operator=(const ParallelGzip&) = delete;

  void write(const void* data, size_t n);
  // Flushes everything and writes the trailer; no write() after it.
  void finish();

  static constexpr size_t kChunk = 256 * 1024;
  static constexpr size_t kWindow = 32 * 1024;

 private:
  struct Job;
  void submit(bool last);
  void emit_oldest();
  void work();

  Sink out_;
  int level_;
  std::string pending_;     // input not yet handed to a job
  std::string dictionary_;  // the last kWindow bytes handed on
  uint32_t crc_ = 0;
  uint64_t total_ = 0;
  bool finished_ = false;
  bool header_written_ = false;

  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable job_done_;
  std::deque<std::shared_ptr<Job>> queue_;     // not yet taken by a worker
  std::deque<std::shared_ptr<Job>> inflight_;  // in submission order, not yet emitted
  bool stopping_ = false;
  size_t max_inflight_;
  unsigned threads_;
  std::vector<std::thread> workers_;  // started with the second chunk: small streams need none
};

}  // namespace lava::oci
