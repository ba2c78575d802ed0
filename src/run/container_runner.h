// Runs one container to its end as the lava worker does: start, stream its output, stop
// it after the timeout, always remove it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "docker/docker_client.h"

namespace lava::run {

struct RunOutcome {
  int64_t exit_status = 0;  // the container's own
  bool timed_out = false;   // stopped after the timeout
  int stop_signal = 0;      // SIGINT/SIGTERM/SIGHUP that made us stop it, else 0
  std::string container_id;
};

// Steps around a run for callers that need the container itself, e.g. to copy files into
// it before it starts or to commit what it made before it is removed.
struct ContainerHooks {
  std::function<void(const std::string& id)> before_start;
  // After the container exited by itself (not stopped: no timeout, no stop signal).
  std::function<void(const std::string& id, int64_t exit_status)> after_exit;
};

// Creates a container from `spec`, starts it, hands its stdout/stderr to `on_output` as
// they come, and waits. When `timeout` passes, or `*stop_signal` becomes non-zero (a
// cancellation the caller raises, e.g. from a signal handler, with the signal's number),
// the container is stopped: SIGTERM, then SIGKILL after `grace` (10 s, as the worker's
// docker-py stop()) or, when cancelled, after `signal_grace`, so Ctrl-C does not keep one
// waiting. The container is removed afterwards whatever happens (after `hooks`).
RunOutcome run_container(docker::DockerClient& docker, const docker::ContainerSpec& spec,
                         std::chrono::milliseconds timeout, const docker::OutputCallback& on_output,
                         const std::atomic<int>* stop_signal = nullptr,
                         std::chrono::seconds grace = std::chrono::seconds(10),
                         std::chrono::seconds signal_grace = std::chrono::seconds(2),
                         const ContainerHooks& hooks = {});

}  // namespace lava::run
