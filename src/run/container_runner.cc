#include "run/container_runner.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace lava::run {

namespace {

// Removes the container when the run ends, however it ends.
struct ContainerGuard {
  docker::DockerClient& docker;
  std::string id;
  ~ContainerGuard() {
    if (id.empty()) return;
    try {
      docker.remove_container(id);
    } catch (...) {
      // Nothing more to do: the engine is gone or refuses; the run's own outcome matters.
    }
  }
};

}  // namespace

RunOutcome run_container(docker::DockerClient& docker, const docker::ContainerSpec& spec,
                         std::chrono::milliseconds timeout, const docker::OutputCallback& on_output,
                         const std::atomic<int>* stop_signal, std::chrono::seconds grace,
                         std::chrono::seconds signal_grace, const ContainerHooks& hooks) {
  RunOutcome outcome;
  ContainerGuard guard{docker, docker.create_container(spec)};
  outcome.container_id = guard.id;
  if (hooks.before_start) hooks.before_start(guard.id);

  std::mutex mu;
  std::condition_variable cv;
  bool finished = false, attached = false;
  docker::WaitResult waited;
  std::exception_ptr wait_error, logs_error;

  // Attached before the start, as `docker run` does, so no output is lost however quickly
  // the container exits.
  std::thread logs([&] {
    try {
      docker.attach_output(guard.id, on_output, [&] {
        std::lock_guard lock(mu);
        attached = true;
        cv.notify_all();
      });
    } catch (...) {
      std::lock_guard lock(mu);
      logs_error = std::current_exception();
    }
    std::lock_guard lock(mu);
    attached = true;  // or failed: either way the start need not wait
    cv.notify_all();
  });
  std::exception_ptr attach_error;
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return attached; });
    attach_error = logs_error;
  }
  try {
    if (attach_error) std::rethrow_exception(attach_error);
    docker.start_container(guard.id);
  } catch (...) {
    // Removing the container ends the attach stream, so its thread can be joined.
    try {
      docker.remove_container(guard.id);
      guard.id.clear();
    } catch (...) {
      // the guard tries again
    }
    logs.join();
    throw;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;

  std::thread waiter([&] {
    try {
      waited = docker.wait_container(guard.id);
    } catch (...) {
      wait_error = std::current_exception();
    }
    std::lock_guard lock(mu);
    finished = true;
    cv.notify_all();
  });

  bool stop_requested = false;
  {
    std::unique_lock lock(mu);
    while (!finished) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      if (finished || stop_requested) continue;
      int sig = stop_signal ? stop_signal->load() : 0;
      bool late = std::chrono::steady_clock::now() >= deadline;
      if (!sig && !late) continue;
      outcome.stop_signal = sig;
      outcome.timed_out = !sig && late;
      stop_requested = true;
      lock.unlock();
      try {
        docker.stop_container(guard.id, static_cast<int>((sig ? signal_grace : grace).count()));
      } catch (...) {
        try {
          docker.kill_container(guard.id);
        } catch (...) {
          // The wait below ends when the engine does; the guard still tries removal.
        }
      }
      lock.lock();
    }
  }
  waiter.join();
  logs.join();
  if (wait_error) std::rethrow_exception(wait_error);
  if (logs_error && !stop_requested) std::rethrow_exception(logs_error);
  outcome.exit_status = waited.status_code;
  if (hooks.after_exit && !stop_requested) hooks.after_exit(guard.id, outcome.exit_status);
  return outcome;
}

}  // namespace lava::run
