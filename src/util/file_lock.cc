#include "util/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "util/cancellation.h"
#include "util/error.h"

namespace lava {

namespace fs = std::filesystem;

namespace {

std::string holder_of(int fd) {
  char buf[32] = {0};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.find_first_not_of("0123456789") == std::string::npos ? s : "";
}

// Records who holds the lock, for the next waiter's message.
void write_holder(int fd) {
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    ssize_t ignored = ::pwrite(fd, pid.data(), pid.size(), 0);
    (void)ignored;
  }
}

}  // namespace

FileLock FileLock::acquire(const fs::path& path, const std::string& what, const OnWait& on_wait) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(path.parent_path().string() + ": cannot create directory: " + ec.message());
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(path.string() + ": cannot open lock file: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      int err = errno;
      ::close(fd);
      throw Error(path.string() + ": cannot lock: " + std::strerror(err));
    }
    if (on_wait) {
      std::string pid = holder_of(fd);
      on_wait("waiting for " + what + (pid.empty() ? "" : " (held by pid " + pid + ")"));
    }
    // Polled rather than a blocking flock, so that Ctrl-C while waiting is noticed.
    auto delay = std::chrono::milliseconds(20);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        int err = errno;
        ::close(fd);
        throw Error(path.string() + ": cannot lock: " + std::strerror(err));
      }
      if (cancel_requested()) {
        ::close(fd);
        throw_if_cancelled();
      }
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(200));
    }
  }
  write_holder(fd);
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace lava
