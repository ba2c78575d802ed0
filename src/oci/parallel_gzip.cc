#include "oci/parallel_gzip.h"

#include <libdeflate.h>

#include <algorithm>

#include "util/error.h"

namespace lava::oci {

struct ParallelGzip::Job {
  std::string input;
  std::string output;
  bool done = false;
  std::string error;
};

namespace {

// One whole gzip member for `input`. libdeflate's header is fixed (mtime 0, no name, OS
// unknown), so the bytes depend only on the input, the level and libdeflate's version.
void gzip_chunk(const std::string& input, int level, std::string& output) {
  struct Compressor {
    libdeflate_compressor* c;
    ~Compressor() { libdeflate_free_compressor(c); }
  } c{libdeflate_alloc_compressor(level)};
  if (!c.c) throw Error("libdeflate: cannot start compression at level " + std::to_string(level));
  output.resize(libdeflate_gzip_compress_bound(c.c, input.size()));
  size_t n =
      libdeflate_gzip_compress(c.c, input.data(), input.size(), output.data(), output.size());
  if (n == 0) throw Error("libdeflate: compression failed");
  output.resize(n);
}

}  // namespace

std::string ParallelGzip::format() {
  return "gzip-members-" + std::to_string(kChunk >> 20) + "m/libdeflate-" LIBDEFLATE_VERSION_STRING;
}

ParallelGzip::ParallelGzip(Sink out, int level, unsigned threads)
    : out_(std::move(out)), level_(level) {
  if (level < 1 || level > 12)
    throw Error("gzip level " + std::to_string(level) + " is outside 1..12");
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  threads_ = threads;
  max_inflight_ = threads * 2;
  pending_.reserve(kChunk);
}

ParallelGzip::~ParallelGzip() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
}

void ParallelGzip::work() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
    }
    std::string error;
    try {
      gzip_chunk(job->input, level_, job->output);
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      job->error = std::move(error);
      job->done = true;
    }
    job_done_.notify_all();
  }
}

void ParallelGzip::emit_oldest() {
  std::shared_ptr<Job> job;
  {
    std::unique_lock<std::mutex> lock(mu_);
    job = inflight_.front();
    job_done_.wait(lock, [&] { return job->done; });
    inflight_.pop_front();
  }
  if (!job->error.empty()) throw Error(job->error);
  out_(job->output.data(), job->output.size());
}

void ParallelGzip::submit(bool last) {
  auto job = std::make_shared<Job>();
  job->input.swap(pending_);
  pending_.clear();
  pending_.reserve(kChunk);
  if (last && inflight_.empty() && workers_.empty()) {
    // The whole stream fit in one chunk: no threads for that.
    gzip_chunk(job->input, level_, job->output);
    job->done = true;
    inflight_.push_back(job);
    return;
  }
  // An empty last chunk after full ones adds nothing: the members before it are the file.
  if (last && job->input.empty()) return;
  if (workers_.empty())
    for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { work(); });
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(job);
    inflight_.push_back(job);
  }
  work_ready_.notify_one();
  while (inflight_.size() >= max_inflight_) emit_oldest();
}

void ParallelGzip::write(const void* data, size_t n) {
  if (finished_) throw Error("gzip: write after finish");
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    size_t room = kChunk - pending_.size();
    size_t take = std::min(room, n);
    pending_.append(p, take);
    p += take;
    n -= take;
    if (pending_.size() == kChunk) submit(false);
  }
}

void ParallelGzip::finish() {
  if (finished_) return;
  submit(true);
  while (!inflight_.empty()) emit_oldest();
  finished_ = true;
}

}  // namespace lava::oci
