// The lava worker's Jinja rendering of a docker job's `command`, `args` and `env` values
// (lava-reference.md, last section; the worker's jinja_render_vars()): plain Jinja2 with
// `{{ }}` delimiters, no jinja.*/lava.*/environ built-ins, and the job's run-time variables.
#pragma once

#include <chrono>
#include <string>

#include "project/yaml_load.h"

namespace lava::run {

// What the worker knows about a job when it renders it.
struct JobFacts {
  std::string job_id, run_id, realm, worker, owner;
  std::string payload;  // the image reference, as the job's `payload`
  std::chrono::system_clock::time_point start;
  project::Json parameters = project::Json::object();  // command, args, env, vars, timeout
  project::Json globals = project::Json::object();     // the job's globals (no "lava" key)
  project::Json realm_info = project::Json::object();  // dist/<env>/.realm.json
  // The job spec as the project holds it (run --job): its other keys (description,
  // dispatcher, x-...) are in `job` too; the facts above replace its own.
  project::Json spec = project::Json::object();
};

// The variables the worker renders with: job (the job spec with realm, worker, run_id,
// ts_dispatch, ts_start, ts_ustart, parameters, globals, state), realm (the realm record:
// realm info plus `realm`), globals (with lava.master_job_id, parent_job_id, master_start,
// master_ustart, parent_start, parent_ustart, iteration = 1), start, ustart, state ({}) and
// vars (parameters.vars). Datetimes are strings as Python prints them
// ("2026-11-24 12:11:09.123456+00:00"); the worker's `utils` helpers are not available.
project::Json job_render_vars(const JobFacts& job);

// Renders one value as jinja2.Template(text).render(**vars) does. A template error is a
// lava::UsageError "WHAT: NAME:LINE: message (HINT)"; the default hint is plain run's.
std::string render_job_value(const std::string& text, const std::string& what,
                             const project::Json& vars, const std::string& hint = {});

// Python's str() of an aware datetime: "YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM", in local
// time or UTC.
std::string python_datetime(std::chrono::system_clock::time_point t, bool utc);

}  // namespace lava::run
