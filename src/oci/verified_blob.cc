#include "oci/verified_blob.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include "util/cancellation.h"

namespace lava::oci {

namespace fs = std::filesystem;

namespace {

fs::path temp_sibling(const fs::path& dest) {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return dest.parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng()));
}

// Reads `fd` to its end, handing each chunk to `each`.
template <typename F>
void read_through(int fd, const fs::path& file, F each) {
  std::vector<char> buf(1 << 20);
  for (;;) {
    throw_if_cancelled();
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(file.string() + ": cannot read: " + std::strerror(errno));
    if (n == 0) return;
    each(buf.data(), static_cast<size_t>(n));
  }
}

void write_all(int fd, const fs::path& file, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw Error(file.string() + ": write failed: " + std::strerror(errno));
    p += w;
    n -= static_cast<size_t>(w);
  }
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Puts a copy of `src` at a temporary sibling of `dest` (a reflink, else a plain copy
// made in the same pass as the hash), checks it when `digest` is given, and renames it
// over `dest`. Never a hard link: the copy in dist/ must not share an inode with the cache.
void place(const fs::path& src, const fs::path& dest, const Digest* digest, int64_t size) {
  std::error_code ec;
  if (fs::exists(dest, ec)) return;
  fs::create_directories(dest.parent_path(), ec);
  if (ec) throw Error(dest.parent_path().string() + ": cannot create directory: " + ec.message());
  Fd in{::open(src.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) {
    if (errno == ENOENT && digest)
      throw BlobDigestMismatch(src, "blob " + digest->str() + " is missing");
    throw Error(src.string() + ": cannot read: " + std::strerror(errno));
  }
  const fs::path tmp = temp_sibling(dest);
  struct Unlink {
    const fs::path& p;
    bool keep = false;
    ~Unlink() {
      if (!keep) ::unlink(p.c_str());
    }
  } unlink_tmp{tmp};
  Fd out{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
  if (out.fd < 0) throw Error(tmp.string() + ": cannot create: " + std::strerror(errno));
  Sha256 hash;
  if (::ioctl(out.fd, FICLONE, in.fd) == 0) {
    if (digest) read_through(in.fd, src, [&](const char* p, size_t n) { hash.update(p, n); });
  } else {
    read_through(in.fd, src, [&](const char* p, size_t n) {
      if (digest) hash.update(p, n);
      write_all(out.fd, tmp, p, n);
    });
  }
  if (::fchmod(out.fd, 0444) != 0 || ::close(out.fd) != 0) {
    out.fd = -1;
    throw Error(tmp.string() + ": write failed: " + std::strerror(errno));
  }
  out.fd = -1;
  if (digest) {
    const uint64_t got = hash.bytes();
    Digest actual = hash.finish();
    if (size >= 0 && got != static_cast<uint64_t>(size))
      throw BlobDigestMismatch(src, "blob " + digest->str() + " has " + std::to_string(got) +
                                        " bytes, expected " + std::to_string(size));
    if (actual != *digest)
      throw BlobDigestMismatch(src, "content does not match its digest " + digest->str() +
                                        " (it hashes to " + actual.str() + ")");
  }
  if (::rename(tmp.c_str(), dest.c_str()) != 0)
    throw Error(dest.string() + ": cannot move into place: " + std::strerror(errno));
  unlink_tmp.keep = true;
}

}  // namespace

void verify_blob_file(const fs::path& file, const Digest& digest, int64_t size) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw BlobDigestMismatch(file, "blob " + digest.str() + " is missing");
    throw Error(file.string() + ": cannot read: " + std::strerror(errno));
  }
  Sha256 hash;
  std::vector<char> buf(1 << 20);
  for (;;) {
    throw_if_cancelled();
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw Error(file.string() + ": cannot read: " + std::strerror(err));
    }
    if (n == 0) break;
    hash.update(buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  const uint64_t got = hash.bytes();
  Digest actual = hash.finish();
  if (size >= 0 && got != static_cast<uint64_t>(size))
    throw BlobDigestMismatch(file, "blob " + digest.str() + " has " + std::to_string(got) +
                                       " bytes, expected " + std::to_string(size));
  if (actual != digest)
    throw BlobDigestMismatch(file, "content does not match its digest " + digest.str() +
                                       " (it hashes to " + actual.str() + ")");
}

void place_verified(const fs::path& src, const fs::path& dest, const Digest& digest, int64_t size) {
  place(src, dest, &digest, size);
}

void place_fresh(const fs::path& src, const fs::path& dest) {
  place(src, dest, nullptr, -1);
}

}  // namespace lava::oci
