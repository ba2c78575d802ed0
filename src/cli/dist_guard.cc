#include "cli/dist_guard.h"

#include "cli/output.h"
#include "cli/signals.h"
#include "native/native_build.h"
#include "util/error.h"

namespace lava::cli {

builder::DistLock guard_dist(const project::Project& project) {
  cancel_on_signals();
  std::filesystem::path cache;
  try {
    cache = native::default_cache_dir();
  } catch (const Error&) {
    // no cache to sweep
  }
  return builder::DistLock::acquire(project.dist, cache,
                                    [](const std::string& line) { print_notice(line); });
}

}  // namespace lava::cli
