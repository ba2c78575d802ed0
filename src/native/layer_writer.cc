#include "native/layer_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "native/parallel_gzip.h"
#include "native/tar_stream.h"
#include "oci/blob_writer.h"
#include "util/cancellation.h"
#include "util/error.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// A blob file being written under <root>/sha256/, hashed on the way, renamed to its digest.
class BlobFile {
 public:
  BlobFile(const fs::path& root, bool durable) : dir_(root / "sha256"), durable_(durable) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw Error(dir_.string() + ": cannot create directory: " + ec.message());
    static thread_local std::mt19937_64 rng(std::random_device{}());
    tmp_ = dir_ / (".layer-" + std::to_string(::getpid()) + "-" + std::to_string(rng()));
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(tmp_.string() + ": cannot create: " + std::strerror(errno));
  }
  ~BlobFile() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }
  void write(const char* p, size_t n) {
    hash_.update(p, n);
    size_ += n;
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw Error(tmp_.string() + ": write failed: " + std::strerror(errno));
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
  }
  oci::Digest commit() {
    oci::Digest d = hash_.finish();
    // Content-addressed, so never to be written in place: read-only.
    if (::fchmod(fd_, 0444) != 0 || (durable_ && ::fsync(fd_) != 0) || ::close(fd_) != 0) {
      int err = errno;
      fd_ = -1;
      ::unlink(tmp_.c_str());
      throw Error(tmp_.string() + ": write failed: " + std::strerror(err));
    }
    fd_ = -1;
    fs::path dest = dir_ / d.hex();
    if (::rename(tmp_.c_str(), dest.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp_.c_str());
      throw Error(dest.string() + ": cannot move into place: " + std::strerror(err));
    }
    return d;
  }
  uint64_t size() const { return size_; }

 private:
  fs::path dir_;
  fs::path tmp_;
  bool durable_;
  int fd_ = -1;
  oci::Sha256 hash_;
  uint64_t size_ = 0;
};

}  // namespace

LayerBlob write_layer(std::vector<LayerEntry> entries, const fs::path& blobs_root,
                      const LayerWriteOptions& options) {
  BlobFile blob(blobs_root, options.durable);
  oci::Sha256 tar_hash;
  ParallelGzip gzip([&](const char* data, size_t n) { blob.write(data, n); }, options.gzip_level,
                    options.threads);
  write_tar(std::move(entries), options.mtime, [&](const char* data, size_t n) {
    throw_if_cancelled();
    tar_hash.update(data, n);
    gzip.write(data, n);
  });
  gzip.finish();
  LayerBlob out;
  out.tar_size = tar_hash.bytes();
  out.diff_id = tar_hash.finish();
  out.size = static_cast<int64_t>(blob.size());
  out.digest = blob.commit();
  return out;
}

}  // namespace lava::native
