#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "util/error.h"

namespace lava {

namespace fs = std::filesystem;

namespace {

// Writes all of `content` to `fd`; 0, or the errno of the failed write.
int write_all(int fd, std::string_view content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read failed");
  return out.str();
}

void write_file_atomic(const fs::path& path, std::string_view content, fs::perms perms) {
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw Error(path.parent_path().string() + ": cannot create directory: " + ec.message());
  }
  std::random_device rd;
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(tmp.string() + ": cannot create: " + std::strerror(errno));
  if (int err = write_all(fd, content); err != 0) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(path.string() + ": write failed: " + std::strerror(err));
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(path.string() + ": write failed: " + std::strerror(err));
  }
  fs::permissions(tmp, perms, ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    ::unlink(tmp.c_str());
    throw Error(path.string() + ": cannot replace: " + ec.message());
  }
}

void write_private_file(const fs::path& path, std::string_view content, fs::perms perms) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(path.string() + ": cannot create: " + std::strerror(errno));
  if (int err = write_all(fd, content); err != 0) {
    ::close(fd);
    throw Error(path.string() + ": write failed: " + std::strerror(err));
  }
  if (::fchmod(fd, static_cast<mode_t>(perms)) != 0 || ::close(fd) != 0)
    throw Error(path.string() + ": write failed: " + std::strerror(errno));
}

void replace_directory(const fs::path& new_dir, const fs::path& final_dir) {
  std::error_code ec;
  if (!fs::exists(final_dir, ec)) {
    fs::rename(new_dir, final_dir, ec);
    if (ec)
      throw Error(final_dir.string() + ": cannot move the new tree into place: " + ec.message());
    return;
  }
  if (::renameat2(AT_FDCWD, new_dir.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0)
    return;
  fs::path aside = new_dir;
  aside += ".old";
  fs::remove_all(aside, ec);
  fs::rename(final_dir, aside, ec);
  if (ec) throw Error(final_dir.string() + ": cannot replace the old tree: " + ec.message());
  fs::rename(new_dir, final_dir, ec);
  if (ec) {
    std::error_code ignored;
    fs::rename(aside, final_dir, ignored);
    throw Error(final_dir.string() + ": cannot move the new tree into place: " + ec.message());
  }
  fs::rename(aside, new_dir, ec);
}

}  // namespace lava
