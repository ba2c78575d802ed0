// What `lava-docker run` asks of the engine, worked out the way the lava worker's docker
// job handler does it (lava-reference.md, "How the lava worker runs a docker job").
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docker/docker_client.h"
#include "project/project.h"

namespace lava::run {

inline constexpr const char* kLocalWorker = "local";
inline constexpr std::chrono::minutes kDefaultTimeout{10};
// The kernel refuses longer hostnames (sethostname: EINVAL), so the container would not
// start; the worker does not shorten them, we do and say so.
inline constexpr size_t kMaxHostname = 64;
// Stands in for S3 locations when dist/<env>/.realm.json does not give them: not a valid
// bucket name, so any S3 call with it fails instead of reaching someone's bucket.
inline constexpr const char* kNoS3 = "s3://LAVA_DOCKER_LOCAL_RUN_NO_S3";

// Who runs the container: the caller, as the worker uses its own effective ids.
struct RunIdentity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string user_name;  // LAVA_OWNER and label lava.owner
  static RunIdentity current();
};

// The job a local run stands for: its parameters as the user gives them on the command line.
struct RunRequest {
  std::string payload;               // "hello" or "hello.docker"
  std::optional<std::string> image;  // --image
  std::chrono::milliseconds timeout = kDefaultTimeout;
  std::vector<std::string> env;      // -e K=V (or K: taken from our own environment)
  std::vector<std::string> command;  // after --: command[0] is shell-split, rest appended
  std::vector<std::string> vars;     // --var K=V: the job's `vars` parameter
  std::vector<std::string> globals;  // --global K=V: the job's globals
  bool jinja = true;                 // false = --no-jinja: the job's `jinja: false`
  std::chrono::system_clock::time_point start = std::chrono::system_clock::now();
};

struct RunPlan {
  std::string payload;
  docker::ContainerSpec spec;
  std::string run_id, job_id, hostname;
  std::filesystem::path tmp_dir;
  std::chrono::milliseconds timeout{};
  std::vector<std::string> notices;  // one line each, for the user
};

// The image a payload runs from without --image: `<image>:latest` when the config builds
// one platform, else `<image>:latest-<suffix>` for the host's platform (the first
// configured one, with a notice, when the host's is not configured).
std::string default_run_image(const project::Project& project, const project::Payload& payload,
                              std::vector<std::string>& notices);

// Parses -e values into (name, value) pairs, later ones winning. LAVA_REALM, LAVA_WORKER,
// LAVA_RUN_ID and LAVA_TMP are set by the run itself and cannot be given (UsageError);
// LAVA_JOB_ID, LAVA_OWNER and LAVA_S3_* can, since a local run has no truth for them.
std::vector<std::pair<std::string, std::string>> parse_env_options(
    const std::vector<std::string>& options, const docker::EnvLookup& our_env);

// Parses --var / --global values (`option` names the flag in errors) into a JSON object of
// strings, later ones winning. Globals whose name starts with "lava" are reserved, as in
// the worker.
project::Json parse_name_values(const std::vector<std::string>& options, const std::string& option);

// Everything about the container but its execution. As the worker does, the command words
// (after shell splitting) and the -e values are Jinja-rendered (`{{ }}`) with the job's
// run-time variables (run/job_render.h) unless request.jinja is false; -e NAME (our own
// value) and the LAVA_* values -e may override are taken as they are. `realm_info` is .realm.json
// (may be empty): s3_temp, s3_payloads and s3_key feed LAVA_S3_*.
RunPlan plan_run(const project::Project& project, const RunRequest& request, const RunIdentity& who,
                 const std::string& run_id, const std::filesystem::path& tmp_dir,
                 const project::Json& realm_info,
                 const docker::EnvLookup& our_env = docker::process_env());

}  // namespace lava::run
