// `lava-docker run`: runs a built payload image the way the lava worker runs a docker job,
// from a command line or (`--job`, cli/run_job.cc) from a project job spec.
//
// Exit status: the container's own; after the timeout 124 for a plain run (the convention
// of timeout(1), for scripts that run commands) and 28 for a --job run (the worker's
// STATUS_TIMEOUT); 128+N when signal N (Ctrl-C, SIGTERM) made us stop it; 1 or 2 for our
// own errors, as every command.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/run_args.h"
#include "docker/docker_client.h"
#include "http/libcurl.h"
#include "project/project.h"
#include "run/duration.h"
#include "run/run_image.h"
#include "run/run_plan.h"
#include "run/uuid.h"
#include "util/error.h"

namespace lava::cli {

namespace {

inline constexpr int kTimedOutStatus = 124;

int run_command(const GlobalOptions& global, const RunArgs& a) {
  if (!a.job.empty()) return run_job_command(global, a);
  if (a.payload.empty()) throw UsageError("run: name a payload, or a job spec with --job");
  refuse_options_of_other_mode(a);
  run::RunRequest request;
  request.payload = a.payload;
  if (!a.image.empty()) request.image = a.image;
  request.timeout = run::parse_duration(a.timeout, "--timeout");
  request.env = a.env_vars;
  request.command = a.command;
  request.vars = a.vars;
  request.globals = a.globals;
  request.jinja = !a.no_jinja;
  const auto stop_grace = parse_stop_timeout(a.stop_timeout);

  auto project = project::open_project(global.project_dir, a.env);
  for (const auto& n : project.config.notices) print_notice(n);

  RunTmpDir tmp(a.tmp);
  run::RunPlan plan = run::plan_run(project, request, run::RunIdentity::current(), run::new_uuid4(),
                                    tmp.path, project::read_realm_info(project.dist));
  if (!a.platform.empty()) {
    if (a.image.empty()) {
      auto payload = project::select_payloads(project.payloads, {a.payload}).front();
      run::RunImage chosen = run::choose_run_image(project, payload, a.platform, plan.notices);
      plan.spec.image = chosen.ref;
      plan.spec.platform = chosen.platform;
    } else {
      plan.spec.platform = a.platform;
    }
  }
  for (const auto& n : plan.notices) print_notice(n);

  http::preload_libcurl();
  docker::DockerClient docker;
  ensure_run_image(docker, project, plan, "", !a.image.empty());
  return execute_run(global, docker, plan, stop_grace, kTimedOutStatus, "");
}

}  // namespace

void add_run_command(CLI::App& app, GlobalOptions& global) {
  auto* sub = app.add_subcommand(
      "run",
      "Run a built payload image, or a project job spec (--job), as the lava worker would "
      "(user, temp dir, LAVA_* environment, hostname, labels, timeout)");
  auto a = std::make_shared<RunArgs>();
  sub->add_option("--env", a->env, "Environment: reads config/ENV.yaml")->required();
  sub->add_option("payload", a->payload, "Payload name (hello or hello.docker); not with --job");
  sub->add_option("--job", a->job,
                  "Run this lava docker job spec (lava-jobs/NAME.yaml, rendered with <{ }> and "
                  "the env's config) as the worker does; its payload is built when out of date")
      ->option_text("FILE");
  sub->add_option("--tmp", a->tmp,
                  "Use this directory as the job's temp dir (LAVA_TMP); default: a fresh one, "
                  "removed afterwards")
      ->option_text("DIR");
  auto* timeout =
      sub->add_option("--timeout", a->timeout,
                      "Stop the container after this long: 30s, 5m, 1h (default 10m); exit 124 "
                      "(not with --job: the job's parameters.timeout, exit 28)")
          ->option_text("DURATION");
  sub->add_option("--stop-timeout", a->stop_timeout,
                  "When the timeout stops the container: SIGTERM, then SIGKILL after this long "
                  "(default 10s, as the worker's docker stop; 0: at once)")
      ->option_text("DURATION");
  sub->add_option("-e", a->env_vars,
                  "Set a variable in the container (K=V, V Jinja-rendered; K alone: our value, "
                  "as it is)")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_option("--var", a->vars,
                  "Set a job variable (the job's `vars`, over a job spec's), seen as "
                  "{{ vars.K }} when the command, args and env are rendered")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_option("--global", a->globals,
                  "Set a job global (over a job spec's), seen as {{ globals.K }} when the "
                  "command, args and env are rendered")
      ->option_text("K=V")
      ->allow_extra_args(false);
  sub->add_option("--connection", a->connections,
                  "--job: stand in for the job's connection LABEL with this executable "
                  "(copied into the temp dir; LAVA_CONNID_<LABEL>, LAVA_CONN_<LABEL>)")
      ->option_text("LABEL=EXECUTABLE")
      ->allow_extra_args(false);
  sub->add_flag("--no-build", a->no_build,
                "--job: do not build the payload first; run what the engine has (or pull the "
                "job's payload, as the worker does)");
  sub->add_option("--engine", a->engine,
                  "--job: the engine that builds an out-of-date payload, as for build "
                  "(default: auto)")
      ->check(CLI::IsMember({"auto", "docker", "native"}));
  sub->add_option("--platform", a->platform,
                  "Run this platform's image of a multi-platform payload (e.g. linux/arm64; "
                  "emulated when the host is another architecture)")
      ->option_text("PLATFORM");
  sub->add_flag("--json", global.json,
                "Print one JSON document on stdout when the run ends (image, container, exit "
                "status...); the container's output then goes to stderr");
  sub->add_flag("--no-jinja", a->no_jinja,
                "Pass the command and -e values as they are (the job's `jinja: false`); by "
                "default they are Jinja-rendered ({{ }}) as the lava worker does");
  sub->add_option("--image", a->image,
                  "Run this image instead of the payload's <image>:latest (pulled when the "
                  "engine lacks it)")
      ->option_text("REF");
  sub->add_option("command", a->command,
                  "After --: the command (one string is split like a shell) and its args; "
                  "default: the image's own");
  set_body(sub, [&global, a, timeout]() {
    a->timeout_given = timeout->count() > 0;
    return run_command(global, *a);
  });
}

}  // namespace lava::cli
