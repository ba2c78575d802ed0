// The steps `run` and `run --job` share once the container is planned.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "builder/build_state.h"
#include "builder/native_image_load.h"
#include "cli/output.h"
#include "cli/run_args.h"
#include "cli/stop_signals.h"
#include "run/container_runner.h"
#include "run/duration.h"
#include "util/error.h"

namespace lava::cli {

namespace fs = std::filesystem;

namespace {

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the stream is closed (EPIPE): the container's output has nowhere to go
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

RunTmpDir::RunTmpDir(const std::string& given) {
  if (!given.empty()) {
    std::error_code ec;
    if (!fs::is_directory(given, ec)) throw UsageError("--tmp " + given + ": not a directory");
    path = fs::canonical(given);
    return;
  }
  std::string tmpl = (fs::temp_directory_path() / "lava-run-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) {
    throw Error("cannot create a temporary directory in " + fs::temp_directory_path().string() +
                ": " + std::strerror(errno));
  }
  path = fs::canonical(tmpl);
  owned = true;
}

RunTmpDir::~RunTmpDir() {
  if (!owned) return;
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::chrono::seconds parse_stop_timeout(const std::string& value) {
  if (value == "0" || value == "0s") return std::chrono::seconds(0);
  auto ms = run::parse_duration(value, "--stop-timeout");
  return std::chrono::seconds((ms.count() + 999) / 1000);
}

void ensure_run_image(docker::DockerClient& docker, const project::Project& project,
                      run::RunPlan& plan, const std::string& pull_ref, bool image_given) {
  if (!image_given) {
    // A natively built payload lives in its OCI layout until something runs it.
    auto payload = project::select_payloads(project.payloads, {plan.payload}).at(0);
    auto state = builder::read_build_state(project.dist, payload.name);
    if (state && state->engine == "native") {
      for (const auto& img : state->images)
        if (img.tag == plan.spec.image)
          builder::ensure_native_image_loaded(docker, project, payload, img);
    }
  }
  if (docker.inspect_image(plan.spec.image)) return;
  std::string ref = !pull_ref.empty() ? pull_ref : image_given ? plan.spec.image : "";
  if (ref.empty()) {
    throw Error("image " + plan.spec.image + " is not in the Docker engine at " +
                docker.endpoint().str() + "; build it with `lava-docker build --env " +
                project.config.env + " " + plan.payload + "`, or name another with --image");
  }
  // As the worker: pull what the engine lacks.
  print_notice("pulling " + ref + (plan.spec.platform.empty() ? "" : " for " + plan.spec.platform));
  try {
    docker.pull(ref, plan.spec.platform);
  } catch (const Error& e) {
    throw Error("image " + ref + " is not in the Docker engine at " + docker.endpoint().str() +
                " and cannot be pulled: " + e.what());
  }
  plan.spec.image = ref;
}

int execute_run(const GlobalOptions& global, docker::DockerClient& docker, const run::RunPlan& plan,
                std::chrono::seconds stop_grace, int timeout_status, const std::string& job_file) {
  std::signal(SIGPIPE, SIG_IGN);
  const bool json = global.json;
  auto image = docker.inspect_image(plan.spec.image);

  run::RunOutcome outcome;
  {
    ScopedStopSignals signals;
    outcome = run::run_container(
        docker, plan.spec, plan.timeout,
        [json](docker::OutputStream s, std::string_view data) {
          // With --json, stdout holds the JSON document alone.
          write_all(json || s == docker::OutputStream::kStderr ? STDERR_FILENO : STDOUT_FILENO,
                    data);
        },
        &ScopedStopSignals::signal(), stop_grace);
  }

  int status = 0;
  if (outcome.stop_signal) {
    print_error(plan.payload + ": stopped by signal " + std::to_string(outcome.stop_signal) +
                "; the container was stopped and removed");
    status = 128 + outcome.stop_signal;
  } else if (outcome.timed_out) {
    print_error(plan.payload + ": timed out after " + run::format_duration(plan.timeout) +
                "; the container was stopped (exit status " + std::to_string(timeout_status) + ")");
    status = timeout_status;
  } else if (outcome.exit_status < 0 || outcome.exit_status > 255) {
    status = 255;
  } else {
    status = static_cast<int>(outcome.exit_status);
  }

  if (json) {
    nlohmann::ordered_json doc;
    doc["payload"] = plan.payload;
    doc["job"] = job_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(job_file);
    doc["job_id"] = plan.job_id;
    doc["run_id"] = plan.run_id;
    doc["image"] = plan.spec.image;
    doc["image_id"] = image ? image->id : "";
    doc["platform"] = image ? image->platform().str() : plan.spec.platform;
    doc["container_name"] = plan.spec.name;
    doc["container_id"] = outcome.container_id;
    doc["hostname"] = plan.spec.hostname;
    doc["tmp"] = plan.tmp_dir.string();
    doc["container_exit_status"] = outcome.exit_status;
    doc["timed_out"] = outcome.timed_out;
    doc["signal"] = outcome.stop_signal;
    doc["exit_status"] = status;
    std::printf("%s\n", doc.dump(2).c_str());
    std::fflush(stdout);
  }
  return status;
}

}  // namespace lava::cli
