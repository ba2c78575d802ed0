#include "util/cancellation.h"

#include <signal.h>

#include <atomic>

namespace lava {

namespace {
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

const char* signal_name(int signo) {
  switch (signo) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}
}  // namespace

Cancelled::Cancelled(int signo)
    : Error(std::string("interrupted by ") + signal_name(signo) + "; temporary files removed",
            128 + signo),
      signo_(signo) {}

void request_cancel(int signo) noexcept {
  int none = 0;
  g_signal.compare_exchange_strong(none, signo);
}

int cancel_signal() noexcept {
  return g_signal.load(std::memory_order_relaxed);
}

const std::atomic<int>& cancel_flag() noexcept {
  return g_signal;
}

void throw_if_cancelled() {
  if (int s = cancel_signal(); s != 0) throw Cancelled(s);
}

void reset_cancel_for_test() noexcept {
  g_signal.store(0);
}

}  // namespace lava
