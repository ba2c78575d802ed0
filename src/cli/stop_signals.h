// Ctrl-C and friends while a container runs: recorded, so the run can stop and remove
// the container before exiting 128+N (the domain code only sees the flag).
#pragma once

#include <atomic>

namespace lava::cli {

// While alive, SIGINT, SIGTERM and SIGHUP only record their number in signal(); the
// previous handlers come back afterwards.
class ScopedStopSignals {
 public:
  ScopedStopSignals();
  ~ScopedStopSignals();
  ScopedStopSignals(const ScopedStopSignals&) = delete;
  ScopedStopSignals& operator=(const ScopedStopSignals&) = delete;
  static const std::atomic<int>& signal();
};

}  // namespace lava::cli
