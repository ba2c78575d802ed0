// Gzip compression on several cores with output that does not depend on how many: the input
// is cut into fixed-size chunks and each becomes a gzip member of its own (libdeflate, about
// twice zlib's speed at the same level), joined in order. RFC 1952 makes the concatenation one
// gzip file; every layer reader (Go's compress/gzip, containerd, pigz, libarchive, Python,
// gzip(1)) reads all of it. A chunk has no dictionary from the one before, which costs well
// under 1 % of size at 1 MiB chunks. Memory stays bounded: a few chunks in flight, never the
// stream.
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

  // `threads` 0: one per core, at most 8. `level` 1..12 (libdeflate's; 1..9 compare with
  // zlib's).
  explicit ParallelGzip(Sink out, int level = 6, unsigned threads = 0);
  ~ParallelGzip();
  ParallelGzip(const ParallelGzip&) = delete;
  ParallelGzip& operator=(const ParallelGzip&) = delete;

  void write(const void* data, size_t n);
  // Flushes everything and writes the trailer; no write() after it.
  void finish();

  static constexpr size_t kChunk = 1024 * 1024;
  // What makes the bytes: "gzip-members-1m/libdeflate-1.14" (level aside).
  static std::string format();

 private:
  struct Job;
  void submit(bool last);
  void emit_oldest();
  void work();

  Sink out_;
  int level_;
  std::string pending_;  // input not yet handed to a job
  bool finished_ = false;

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
