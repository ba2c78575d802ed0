// `lava-docker run --job lava-jobs/NAME.yaml`: a project job spec run as the lava worker's
// docker handler runs it (run/job_spec.h, run/job_plan.h); the payload is built first when
// out of date (`--no-build` skips that).
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "aws/aws_facts.h"
#include "builder/payload_builder.h"
#include "cli/build_options.h"
#include "cli/output.h"
#include "cli/run_args.h"
#include "http/libcurl.h"
#include "run/job_plan.h"
#include "run/job_spec.h"
#include "run/uuid.h"
#include "template/errors.h"
#include "util/error.h"

namespace lava::cli {

namespace fs = std::filesystem;

namespace {

// The worker's STATUS_TIMEOUT (lava/config.py).
inline constexpr int kJobTimedOutStatus = 28;

// --job is relative to the project (-C), or to the current directory when it is not there.
fs::path resolve_job_file(const project::Project& project, const std::string& given) {
  fs::path p(given);
  if (p.is_absolute()) return p;
  std::error_code ec;
  if (fs::exists(project.root / p, ec)) return project.root / p;
  if (fs::exists(p, ec)) return p;
  return project.root / p;
}

// Builds the payload when its inputs changed, as `build` would (same --engine rules).
void build_if_out_of_date(const project::Project& project, const project::Payload& payload,
                          const RunArgs& a) {
  BuildOptions o;
  o.env = a.env;
  o.engine = a.engine;
  const ProgressMode mode = progress_mode(o, false);
  builder::PayloadBuilder builder(o.engine, make_build_request(o), make_build_reporter(mode));
  builder::BuildOutcome outcome;
  try {
    outcome = builder.build(project, payload);
  } catch (...) {
    end_status_line(mode);
    throw;
  }
  end_status_line(mode);
  std::string what;
  for (const auto& s : outcome.summary) what += (what.empty() ? "" : ", ") + s;
  print_notice(payload.name + (outcome.rebuilt ? ": built " + what : ": up to date"));
}

void install_connection_stand_ins(const run::JobRunPlan& plan) {
  for (const auto& c : plan.connections) {
    std::error_code ec;
    fs::copy_file(c.executable, c.in_tmp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(c.in_tmp, static_cast<fs::perms>(0755), ec);
    if (ec)
      throw Error("--connection " + c.label + "=" + c.executable.string() + ": cannot copy to " +
                  c.in_tmp.string() + ": " + ec.message());
  }
}

}  // namespace

int run_job_command(const GlobalOptions& global, const RunArgs& a) {
  if (!a.payload.empty())
    throw UsageError("run --job " + a.job + " " + a.payload +
                     ": give a payload name or --job, not both (the job names its payload)");
  refuse_options_of_other_mode(a);
  const auto stop_grace = parse_stop_timeout(a.stop_timeout);

  auto project = project::open_project(global.project_dir, a.env);
  for (const auto& n : project.config.notices) print_notice(n);
  const auto realm_info = project::read_realm_info(project.dist);

  // Everything the worker checks comes before anything starts: no build, no container.
  fs::path file = resolve_job_file(project, a.job);
  // lava.aws.* (every generated docker job's payload uses lava.aws.ecr_uri): AWS is asked
  // only when the spec reads one of them, each value once, as `render` does.
  aws::AwsFacts aws_facts;
  auto aws_info = [&aws_facts](const std::string& key) {
    try {
      return aws_facts.get(key);
    } catch (const Error& e) {
      throw tmpl::EvalError("lava.aws." + key + ": " + e.what());
    }
  };
  run::JobSpec job = run::load_job_spec(project, file, a.job, realm_info, aws_info);
  RunTmpDir tmp(a.tmp);
  run::JobRunRequest request;
  request.vars = a.vars;
  request.globals = a.globals;
  request.connections = a.connections;
  request.platform = a.platform;
  run::JobRunPlan plan =
      run::plan_job_run(project, job, request, run::RunIdentity::current(), run::new_uuid4(),
                        run::new_uuid4(), tmp.path, realm_info);
  for (const auto& n : plan.run.notices) print_notice(n);

  const auto payload = project::select_payloads(project.payloads, {plan.payload.name}).front();
  if (!a.no_build) build_if_out_of_date(project, payload, a);

  http::preload_libcurl();
  docker::DockerClient docker;
  // With --no-build and nothing built here, the engine pulls the job's payload, as the
  // worker does.
  ensure_run_image(docker, project, plan.run, a.no_build ? plan.payload.reference : "", false);
  install_connection_stand_ins(plan);
  return execute_run(global, docker, plan.run, stop_grace, kJobTimedOutStatus, a.job);
}

}  // namespace lava::cli
