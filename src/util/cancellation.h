// Cooperative cancellation after SIGINT or SIGTERM: the signal handler (installed by cli/)
// only records the signal; long-running work polls at its checkpoints and unwinds with
// Cancelled, so destructors remove temporary files on the way out.
#pragma once

#include <atomic>

#include "util/error.h"

namespace lava {

// Thrown at a checkpoint once a cancelling signal arrived; exit status 128 + the signal.
class Cancelled : public Error {
 public:
  explicit Cancelled(int signo);
  int signal_number() const { return signo_; }

 private:
  int signo_;
};

// Async-signal-safe: records `signo` (the first one wins).
void request_cancel(int signo) noexcept;
// The signal that asked us to stop, or 0.
int cancel_signal() noexcept;
// The same as a flag, for code that takes one (run::run_container's stop signal).
const std::atomic<int>& cancel_flag() noexcept;
inline bool cancel_requested() noexcept {
  return cancel_signal() != 0;
}
// Throws Cancelled when a cancelling signal arrived.
void throw_if_cancelled();
// Forgets a recorded signal (tests only).
void reset_cancel_for_test() noexcept;

}  // namespace lava
