// An exclusive advisory lock on a file (flock), held for the object's life and released by
// the kernel when the process dies however it dies, so a kill -9 never leaves a stale lock.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace lava {

class FileLock {
 public:
  // Called once, before blocking, when another process holds the lock: a line like
  // "waiting for <what> (held by pid 123)".
  using OnWait = std::function<void(const std::string& line)>;

  // Creates `path` (and its parent directories) when missing and locks it, waiting for
  // another holder to let go. `what` names the lock in the waiting line. A cancelling
  // signal while waiting throws Cancelled.
  static FileLock acquire(const std::filesystem::path& path, const std::string& what,
                          const OnWait& on_wait);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace lava
