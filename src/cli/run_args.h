// `lava-docker run`'s options, shared by the plain run (cmd_run.cc) and the job run
// (run_job.cc), and the steps both take to start a planned container.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.h"
#include "docker/docker_client.h"
#include "project/project.h"
#include "run/run_plan.h"

namespace lava::cli {

struct RunArgs {
  std::string env, payload, tmp, timeout = "10m", image, job, engine = "auto", platform;
  std::string stop_timeout = "10s";
  std::vector<std::string> env_vars, command, vars, globals, connections;
  bool no_jinja = false, no_build = false;
  bool timeout_given = false;  // --timeout was on the command line
};

// Throws the usage error for the first option given that belongs to the other kind of run:
// --no-build or --connection without --job, or with --job one the job spec says (-e,
// --no-jinja, --image, --timeout, a command).
void refuse_options_of_other_mode(const RunArgs& a);

// The job's temp dir: --tmp DIR, or a fresh one removed at scope exit.
struct RunTmpDir {
  std::filesystem::path path;
  bool owned = false;
  explicit RunTmpDir(const std::string& given);
  ~RunTmpDir();
  RunTmpDir(const RunTmpDir&) = delete;
  RunTmpDir& operator=(const RunTmpDir&) = delete;
};

// --stop-timeout: seconds between SIGTERM and SIGKILL when the run stops a container ("0"
// kills at once).
std::chrono::seconds parse_stop_timeout(const std::string& value);

// Makes sure the engine has `plan.spec.image`: a natively built payload is loaded from its
// OCI layout; an image the engine still lacks is pulled (`pull_ref` when given, which then
// replaces the image to run, as the worker pulls the job's payload), else an error saying
// how to build it.
void ensure_run_image(docker::DockerClient& docker, const project::Project& project,
                      run::RunPlan& plan, const std::string& pull_ref, bool image_given);

// Runs the planned container with Ctrl-C handling, prints its output (to stderr with
// --json, which then prints one JSON document on stdout), and returns the exit status:
// the container's, `timeout_status` after the timeout, 128+N after signal N.
int execute_run(const GlobalOptions& global, docker::DockerClient& docker, const run::RunPlan& plan,
                std::chrono::seconds stop_grace, int timeout_status, const std::string& job_file);

// `run --job`: runs a project job spec as the lava worker's docker handler does.
int run_job_command(const GlobalOptions& global, const RunArgs& args);

}  // namespace lava::cli
