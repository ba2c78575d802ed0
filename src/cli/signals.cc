#include "cli/signals.h"

#include <signal.h>

#include <cstring>

#include "util/cancellation.h"

namespace lava::cli {

namespace {
extern "C" void on_cancel_signal(int signo) {
  lava::request_cancel(signo);
}
}  // namespace

void cancel_on_signals() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_cancel_signal;
  sigemptyset(&sa.sa_mask);
  // SA_RESETHAND: the first signal asks politely, the next one kills.
  sa.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace lava::cli
