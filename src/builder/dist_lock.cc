#include "builder/dist_lock.h"

#include "util/stale_temps.h"

namespace lava::builder {

namespace fs = std::filesystem;

fs::path dist_lock_file(const project::DistLayout& dist) {
  fs::path root = dist.root;
  if (root.filename().empty()) root = root.parent_path();
  std::string name = ".";  // appended piece by piece: "." + string is a false -Wrestrict at -O3
  name += root.filename().string();
  name += ".lock";
  return root.parent_path() / name;
}

int sweep_litter(const project::DistLayout& dist, const fs::path& cache_dir) {
  int n = sweep_dead_temps(dist.payloads_dir(), 1);
  n += sweep_dead_temps(dist.root, 1);
  // pip's own cache is pip's business, and large: not walked.
  if (!cache_dir.empty()) n += sweep_dead_temps(cache_dir, 4, {"pip"});
  return n;
}

DistLock DistLock::acquire(const project::DistLayout& dist, const fs::path& cache_dir,
                           const FileLock::OnWait& on_wait) {
  fs::path root = dist.root;
  FileLock lock = FileLock::acquire(dist_lock_file(dist),
                                    root.string() +
                                        " (another build, install "
                                        "or clean of it is running)",
                                    on_wait);
  return DistLock(std::move(lock), sweep_litter(dist, cache_dir));
}

}  // namespace lava::builder
