#include "util/background_start.h"

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace lava {

namespace {
std::mutex mutex;
std::set<std::string, std::less<>> started;
std::vector<std::thread> threads;
std::atomic<int> running{0};
}  // namespace

void start_in_background(std::string_view what, std::function<void()> task) {
  std::lock_guard lock(mutex);
  if (!started.emplace(what).second) return;
  ++running;
  threads.emplace_back([task = std::move(task)] {
    try {
      task();
    } catch (...) {
      // reported by the caller that needs the result
    }
    --running;
  });
}

bool background_starts_done() {
  return running.load() == 0;
}

void finish_background_starts() {
  std::vector<std::thread> running;
  {
    std::lock_guard lock(mutex);
    running.swap(threads);
  }
  for (auto& t : running) t.join();
}

}  // namespace lava
