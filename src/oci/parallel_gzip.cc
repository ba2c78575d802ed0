#include "oci/parallel_gzip.h"

#include <zlib.h>

#include <algorithm>

#include "util/error.h"

namespace lava::oci {

struct ParallelGzip::Job {
  std::string input;
  std::string dictionary;
  bool last = false;
  std::string output;
  uint32_t crc = 0;
  bool done = false;
  std::string error;
};

namespace {

// Raw deflate of one chunk; non-final chunks end with a sync flush (an empty stored block)
// so the next chunk's output can follow on a byte boundary.
void deflate_chunk(const std::string& input, const std::string& dictionary, bool last, int level,
                   std::string& output) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("zlib: cannot start compression");
  struct End {
    z_stream* z;
    ~End() { deflateEnd(z); }
  } end{&z};
  if (!dictionary.empty() &&
      deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dictionary.data()),
                           static_cast<uInt>(dictionary.size())) != Z_OK)
    throw Error("zlib: cannot set dictionary");
  output.resize(deflateBound(&z, static_cast<uLong>(input.size())) + 64);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(output.data());
  z.avail_out = static_cast<uInt>(output.size());
  int rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
  if (rc != (last ? Z_STREAM_END : Z_OK) || z.avail_in != 0)
    throw Error("zlib: compression failed");
  output.resize(output.size() - z.avail_out);
}

void put_le32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

ParallelGzip::ParallelGzip(Sink out, int level, unsigned threads)
    : out_(std::move(out)), level_(level) {
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
      deflate_chunk(job->input, job->dictionary, job->last, level_, job->output);
      job->crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(job->input.data()),
                                             static_cast<uInt>(job->input.size())));
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
  crc_ =
      static_cast<uint32_t>(crc32_combine(crc_, job->crc, static_cast<z_off_t>(job->input.size())));
  out_(job->output.data(), job->output.size());
}

void ParallelGzip::submit(bool last) {
  if (!header_written_) {
    // Gzip header: deflate, no flags, mtime 0, no extra flags, OS unknown.
    static const char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
    out_(kHeader, sizeof kHeader);
    header_written_ = true;
  }
  auto job = std::make_shared<Job>();
  job->input.swap(pending_);
  job->dictionary = dictionary_;
  job->last = last;
  total_ += job->input.size();
  // The next chunk's dictionary: the last 32 KiB of the stream so far.
  if (job->input.size() >= kWindow) {
    dictionary_.assign(job->input, job->input.size() - kWindow, kWindow);
  } else {
    dictionary_.append(job->input);
    if (dictionary_.size() > kWindow) dictionary_.erase(0, dictionary_.size() - kWindow);
  }
  pending_.clear();
  pending_.reserve(kChunk);
  if (last && inflight_.empty() && workers_.empty()) {
    // The whole stream fit in one chunk: no threads for that.
    deflate_chunk(job->input, job->dictionary, true, level_, job->output);
    job->crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(job->input.data()),
                                           static_cast<uInt>(job->input.size())));
    job->done = true;
    inflight_.push_back(job);
    return;
  }
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
  std::string trailer;
  put_le32(trailer, crc_);
  put_le32(trailer, static_cast<uint32_t>(total_ & 0xffffffffu));
  out_(trailer.data(), trailer.size());
  finished_ = true;
}

}  // namespace lava::oci
