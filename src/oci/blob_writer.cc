#include "oci/blob_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "util/error.h"

namespace lava::oci {

namespace fs = std::filesystem;

namespace {
fs::path temp_sibling(const fs::path& dir) {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return dir / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng()));
}
}  // namespace

fs::path blob_file(const fs::path& blobs_root, const Digest& digest) {
  return blobs_root / digest.algorithm() / digest.hex();
}

BlobWriter::BlobWriter(fs::path blobs_root, bool durable)
    : root_(std::move(blobs_root)), durable_(durable) {
  std::error_code ec;
  fs::create_directories(root_ / "sha256", ec);
  if (ec) throw Error((root_ / "sha256").string() + ": cannot create directory: " + ec.message());
  tmp_ = temp_sibling(root_ / "sha256");
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(tmp_.string() + ": cannot create: " + std::strerror(errno));
}

BlobWriter::~BlobWriter() {
  abort();
}

void BlobWriter::abort() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
    ::unlink(tmp_.c_str());
  }
}

void BlobWriter::write(const void* data, size_t n) {
  if (fd_ < 0) throw Error("blob writer: write after commit");
  hash_.update(data, n);
  size_ += n;
  const char* p = static_cast<const char*>(data);
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

Digest BlobWriter::commit(const std::optional<Digest>& expected) {
  if (fd_ < 0) throw Error("blob writer: committed twice");
  Digest d = hash_.finish();
  if (expected && *expected != d) {
    abort();
    throw Error("blob content does not match its digest: expected " + expected->str() + ", got " +
                d.str());
  }
  if ((durable_ && ::fsync(fd_) != 0) || ::close(fd_) != 0) {
    int err = errno;
    fd_ = -1;
    ::unlink(tmp_.c_str());
    throw Error(tmp_.string() + ": write failed: " + std::strerror(err));
  }
  fd_ = -1;
  fs::path dest = blob_file(root_, d);
  if (::rename(tmp_.c_str(), dest.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    throw Error(dest.string() + ": cannot move blob into place: " + std::strerror(err));
  }
  return d;
}

void link_or_copy(const fs::path& src, const fs::path& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec)) return;
  fs::create_directories(dest.parent_path(), ec);
  fs::path tmp = temp_sibling(dest.parent_path());
  if (::link(src.c_str(), tmp.c_str()) != 0) {
    fs::copy_file(src, tmp, ec);
    if (ec) throw Error(src.string() + ": cannot copy to " + dest.string() + ": " + ec.message());
  }
  if (::rename(tmp.c_str(), dest.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(dest.string() + ": cannot move into place: " + std::strerror(err));
  }
}

}  // namespace lava::oci
