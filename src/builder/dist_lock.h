// One writer at a time per project environment: build, install, prepare and clean of the
// same dist/<env> wait for each other; dist/<env>.lock is the lock file. Taking it also
// sweeps what runs that died left behind, in dist/<env> and in the per-user cache.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "project/dist_layout.h"
#include "util/file_lock.h"

namespace lava::builder {

class DistLock {
 public:
  // Blocks while another process holds the lock, after calling `on_wait` once with a
  // "waiting for ..." line. `cache_dir` (may be empty) is swept too.
  static DistLock acquire(const project::DistLayout& dist, const std::filesystem::path& cache_dir,
                          const FileLock::OnWait& on_wait);
  // How many stale temporaries the sweep removed.
  int swept() const { return swept_; }

 private:
  DistLock(FileLock lock, int swept) : lock_(std::move(lock)), swept_(swept) {}
  FileLock lock_;
  int swept_;
};

// Where the lock of `dist` lives: beside dist/<env>, so `clean` removing that keeps it.
std::filesystem::path dist_lock_file(const project::DistLayout& dist);

// Removes stale temporaries (their writer is gone) under dist/<env> and the cache.
int sweep_litter(const project::DistLayout& dist, const std::filesystem::path& cache_dir);

}  // namespace lava::builder
