// What `lava-docker run --job` asks of the engine: a project job spec worked out as the
// lava worker's docker handler works it out (lava/handlers/docker.py, job_environment()).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "project/project.h"
#include "run/job_payload.h"
#include "run/job_spec.h"
#include "run/run_plan.h"

namespace lava::run {

// What the command line adds to the job.
struct JobRunRequest {
  std::vector<std::string> vars;         // --var K=V, over parameters.vars
  std::vector<std::string> globals;      // --global K=V, over the spec's globals
  std::vector<std::string> connections;  // --connection LABEL=EXECUTABLE
  std::string platform;                  // --platform
  std::chrono::system_clock::time_point start = std::chrono::system_clock::now();
};

// A --connection executable, copied into the job's temp dir where the container sees it
// (the worker writes its connector scripts there too).
struct ConnectionStandIn {
  std::string label;
  std::filesystem::path executable;  // on this host
  std::filesystem::path in_tmp;      // the copy, also the path inside the container
};

struct JobRunPlan {
  RunPlan run;  // spec, ids, hostname, tmp dir, timeout, notices
  JobPayload payload;
  std::vector<ConnectionStandIn> connections;
};

// Everything about the container but its execution:
// - image: the project payload the job's `payload` names (choose_run_image for --platform);
// - command: parameters.command split like a shell, str() of each of parameters.args
//   appended (only when there is a command), each word rendered with the worker's
//   run-time variables ({{ }}) unless jinja is false; errors read "Bad command or args";
// - env: parameters.env rendered ("Bad environment variable: K: ..."), or dropped with one
//   notice when jinja is false; then LAVA_S3_TMP, LAVA_S3_PAYLOAD, LAVA_TMP, then
//   LAVA_REALM, LAVA_WORKER, LAVA_OWNER, LAVA_JOB_ID, LAVA_RUN_ID, LAVA_S3_KEY (from the
//   spec, the config's realm and .realm.json), then LAVA_CONNID_<L>/LAVA_CONN_<L> for
//   each connection, which must have a --connection stand-in (lava::UsageError if not);
// - host_config: the worker's defaults (working_dir = tmp, user = euid, group_add =
//   [egid], hostname lava-<realm>-<worker>-<run_id>) unless the job sets them, then
//   apply_host_config; the tmp dir bind-mounted at its own path; lava's labels;
// - name lava-<container_uuid>; timeout parameters.timeout, else 10m.
JobRunPlan plan_job_run(const project::Project& project, const JobSpec& job,
                        const JobRunRequest& request, const RunIdentity& who,
                        const std::string& run_id, const std::string& container_uuid,
                        const std::filesystem::path& tmp_dir, const project::Json& realm_info);

}  // namespace lava::run
