// `lava-docker run`: runs a built payload image the way the lava worker runs a docker job.
//
// Exit status: the container's own; 124 when the timeout stopped it (the lava worker
// records such a run with its own status 28); 128+N when signal N (Ctrl-C, SIGTERM) made
// us stop it; 1 or 2 for our own errors, as every command.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "builder/build_state.h"
#include "builder/native_image_load.h"
#include "cli/command.h"
#include "cli/output.h"
#include "docker/docker_client.h"
#include "project/project.h"
#include "run/container_runner.h"
#include "run/duration.h"
#include "run/run_plan.h"
#include "run/uuid.h"
#include "util/error.h"
#include "util/temp_dir.h"

namespace lava::cli {

namespace fs = std::filesystem;

namespace {

inline constexpr int kTimedOutStatus = 124;

struct RunArgs {
  std::string env, payload, tmp, timeout = "10m", image;
  std::vector<std::string> env_vars, command, vars, globals;
  bool no_jinja = false;
};

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // stdout closed (EPIPE): the container's output has nowhere to go
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// A natively built payload lives in its OCI layout until something runs it: load the
// image `tag` names into the engine when the last build was native.
void load_native_build(docker::DockerClient& docker, const project::Project& project,
                       const std::string& payload_name, const std::string& tag) {
  auto payload = project::select_payloads(project.payloads, {payload_name}).at(0);
  auto state = builder::read_build_state(project.dist, payload.name);
  if (!state || state->engine != "native") return;
  for (const auto& img : state->images)
    if (img.tag == tag) builder::ensure_native_image_loaded(docker, project, payload, img);
}

int run_command(const GlobalOptions& global, const RunArgs& a) {
  run::RunRequest request;
  request.payload = a.payload;
  if (!a.image.empty()) request.image = a.image;
  request.timeout = run::parse_duration(a.timeout, "--timeout");
  request.env = a.env_vars;
  request.command = a.command;
  request.vars = a.vars;
  request.globals = a.globals;
  request.jinja = !a.no_jinja;

  auto project = project::open_project(global.project_dir, a.env);
  for (const auto& n : project.config.notices) print_notice(n);

  TempDir tmp;  // a fresh one is removed at exit; the user's --tmp is not
  fs::path tmp_path;
  if (!a.tmp.empty()) {
    std::error_code ec;
    if (!fs::is_directory(a.tmp, ec)) throw UsageError("--tmp " + a.tmp + ": not a directory");
    tmp_path = fs::canonical(a.tmp);
  } else {
    tmp = TempDir::create("lava-run-");
    tmp.path = fs::canonical(tmp.path);
    tmp_path = tmp.path;
  }

  run::RunPlan plan = run::plan_run(project, request, run::RunIdentity::current(), run::new_uuid4(),
                                    tmp_path, project::read_realm_info(project.dist));
  for (const auto& n : plan.notices) print_notice(n);

  std::signal(SIGPIPE, SIG_IGN);
  docker::DockerClient docker;
  if (a.image.empty()) load_native_build(docker, project, a.payload, plan.spec.image);
  if (!docker.inspect_image(plan.spec.image)) {
    throw Error("image " + plan.spec.image + " is not in the Docker engine at " +
                docker.endpoint().str() + "; build it with `lava-docker build --env " + a.env +
                " " + plan.payload + "`, or name another with --image");
  }

  run::ScopedStopSignals signals;
  run::RunOutcome outcome = run::run_container(
      docker, plan.spec, plan.timeout,
      [](docker::OutputStream s, std::string_view data) {
        write_all(s == docker::OutputStream::kStderr ? STDERR_FILENO : STDOUT_FILENO, data);
      },
      &run::ScopedStopSignals::signal());

  if (outcome.stop_signal) {
    print_error(plan.payload + ": stopped by signal " + std::to_string(outcome.stop_signal) +
                "; the container was stopped and removed");
    return 128 + outcome.stop_signal;
  }
  if (outcome.timed_out) {
    print_error(plan.payload + ": timed out after " + run::format_duration(plan.timeout) +
                "; the container was stopped (exit status " + std::to_string(kTimedOutStatus) +
                ")");
    return kTimedOutStatus;
  }
  if (outcome.exit_status < 0 || outcome.exit_status > 255) return 255;
  return static_cast<int>(outcome.exit_status);
}

}  // namespace

void add_run_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand(
      "run",
      "Run a built payload image as the lava worker would (user, temp dir, LAVA_* "
      "environment, hostname, labels, timeout)");
  auto a = std::make_shared<RunArgs>();
  sub->add_option("--env", a->env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payload", a->payload, "Payload name (hello or hello.docker)")->required();
  sub->add_option("--tmp", a->tmp,
                  "Use this directory as the job's temp dir (LAVA_TMP); default: a fresh one, "
                  "removed afterwards")
      ->option_text("DIR");
  sub->add_option("--timeout", a->timeout,
                  "Stop the container after this long: 30s, 5m, 1h (default 10m); exit 124")
      ->option_text("DURATION");
  sub->add_option("-e", a->env_vars,
                  "Set a variable in the container (K=V, V Jinja-rendered; K alone: our value, "
                  "as it is)")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_option("--var", a->vars,
                  "Set a job variable (the job's `vars`), seen as {{ vars.K }} when the command "
                  "and -e values are rendered")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_option("--global", a->globals,
                  "Set a job global, seen as {{ globals.K }} when the command and -e values "
                  "are rendered")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_flag("--no-jinja", a->no_jinja,
                "Pass the command and -e values as they are (the job's `jinja: false`); by "
                "default they are Jinja-rendered ({{ }}) as the lava worker does");
  sub->add_option("--image", a->image, "Run this image instead of the payload's <image>:latest")
      ->option_text("REF");
  sub->add_option("command", a->command,
                  "After --: the command (one string is split like a shell) and its args; "
                  "default: the image's own");
  set_body(sub, [&global, a]() { return run_command(global, *a); });
}

}  // namespace lava::cli
