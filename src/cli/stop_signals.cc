#include "cli/stop_signals.h"

#include <csignal>

namespace lava::cli {

namespace {

std::atomic<int> g_signal{0};

extern "C" void record_signal(int sig) {
  g_signal.store(sig);
}

const int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

}  // namespace

ScopedStopSignals::ScopedStopSignals() {
  g_signal.store(0);
  struct sigaction sa {};
  sa.sa_handler = record_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 3; ++i) sigaction(kStopSignals[i], &sa, &g_previous[i]);
}

ScopedStopSignals::~ScopedStopSignals() {
  for (int i = 0; i < 3; ++i) sigaction(kStopSignals[i], &g_previous[i], nullptr);
}

const std::atomic<int>& ScopedStopSignals::signal() {
  return g_signal;
}

}  // namespace lava::cli
