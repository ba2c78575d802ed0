#include "run/job_plan.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "run/duration.h"
#include "run/host_config.h"
#include "run/job_render.h"
#include "run/python_str.h"
#include "run/run_image.h"
#include "run/shell_split.h"
#include "util/error.h"

namespace lava::run {

namespace fs = std::filesystem;
using project::Json;

namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

// Sets `name`, replacing an earlier value (dict.update() order: later wins).
void put(Env& env, const std::string& name, const std::string& value) {
  auto it = std::find_if(env.begin(), env.end(), [&](const auto& p) { return p.first == name; });
  if (it != env.end()) {
    it->second = value;
  } else {
    env.emplace_back(name, value);
  }
}

std::string realm_string(const Json& realm, const char* key) {
  if (!realm.is_object()) return {};
  auto it = realm.find(key);
  if (it == realm.end() || !it->is_string()) return {};
  std::string v = it->get<std::string>();
  while (!v.empty() && v.back() == '/') v.pop_back();
  return v;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::chrono::milliseconds job_timeout(const Json& params, const std::string& shown) {
  auto it = params.find("timeout");
  if (it == params.end()) return kDefaultTimeout;
  if (it->is_number()) return std::chrono::milliseconds(std::llround(it->get<double>() * 1000));
  return parse_duration(it->get<std::string>(), shown + ": parameters.timeout");
}

// --connection LABEL=EXECUTABLE values, by label.
std::vector<std::pair<std::string, fs::path>> parse_connections(
    const std::vector<std::string>& options) {
  std::vector<std::pair<std::string, fs::path>> out;
  for (const auto& o : options) {
    size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == o.size())
      throw UsageError("--connection " + o + ": expected LABEL=EXECUTABLE");
    std::string label = o.substr(0, eq);
    fs::path exe = o.substr(eq + 1);
    std::error_code ec;
    if (!fs::is_regular_file(exe, ec))
      throw UsageError("--connection " + o + ": " + exe.string() + " is not a file");
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == label; });
    if (it != out.end()) {
      it->second = fs::absolute(exe);
    } else {
      out.emplace_back(label, fs::absolute(exe));
    }
  }
  return out;
}

}  // namespace

JobRunPlan plan_job_run(const project::Project& project, const JobSpec& job,
                        const JobRunRequest& request, const RunIdentity& who,
                        const std::string& run_id, const std::string& container_uuid,
                        const fs::path& tmp_dir, const project::Json& realm_info) {
  JobRunPlan out;
  RunPlan& plan = out.run;
  const std::string& shown = job.file;
  out.payload = map_job_payload(job.payload, project.config.docker_repo, project.payloads,
                                shown + ": payload", plan.notices);
  const project::Payload payload =
      project::select_payloads(project.payloads, {out.payload.name}).front();
  plan.payload = payload.name;
  plan.run_id = run_id;
  plan.job_id = job.job_id;
  plan.tmp_dir = tmp_dir;

  Json params = job.parameters;
  plan.timeout = job_timeout(params, shown);

  // vars and globals: the spec's, then the command line's.
  Json vars = params.contains("vars") ? params["vars"] : Json::object();
  const Json cli_vars = parse_name_values(request.vars, "--var");
  for (const auto& [k, v] : cli_vars.items()) vars[k] = v;
  if (params.contains("vars") || !request.vars.empty()) params["vars"] = vars;
  Json globals = job.globals;
  const Json cli_globals = parse_name_values(request.globals, "--global");
  for (const auto& [k, v] : cli_globals.items()) globals[k] = v;

  const std::string owner = job.owner.empty() ? who.user_name : job.owner;
  const std::string realm = project.config.realm;

  auto& spec = plan.spec;
  RunImage image = choose_run_image(project, payload, request.platform, plan.notices);
  spec.image = image.ref;
  spec.platform = image.platform;

  // host_config: the worker's defaults (setdefault, so a job's explicit null stays null),
  // kept in the job's parameters as the worker's dict is, for {{ job.parameters... }}.
  Json host_config = params.contains("host_config") && params["host_config"].is_object()
                         ? params["host_config"]
                         : Json::object();
  std::string hostname = "lava-" + realm + "-" + job.worker + "-" + run_id;
  if (!host_config.contains("hostname") && hostname.size() > kMaxHostname) {
    plan.notices.push_back("hostname " + hostname + " is longer than " +
                           std::to_string(kMaxHostname) +
                           " characters, which the kernel refuses (the lava worker would fail "
                           "to start this container); shortened here");
    hostname.resize(kMaxHostname);
    while (!hostname.empty() && hostname.back() == '-') hostname.pop_back();
  }
  if (!host_config.contains("working_dir")) host_config["working_dir"] = tmp_dir.string();
  if (!host_config.contains("user")) host_config["user"] = who.uid;
  if (!host_config.contains("group_add")) host_config["group_add"] = Json::array({who.gid});
  if (!host_config.contains("hostname")) host_config["hostname"] = hostname;
  params["host_config"] = host_config;
  apply_host_config(host_config, shown + ": parameters.host_config", spec);
  plan.hostname = spec.hostname;

  const bool jinja = params.value("jinja", true);

  JobFacts facts;
  facts.job_id = job.job_id;
  facts.run_id = run_id;
  facts.realm = realm;
  facts.worker = job.worker;
  facts.owner = owner;
  facts.payload = job.payload;
  facts.start = request.start;
  facts.realm_info = realm_info;
  facts.globals = globals;
  facts.parameters = params;
  facts.spec = job.doc;
  const Json render_vars = job_render_vars(facts);
  const std::string hint =
      "the job's values are Jinja-rendered as the lava worker does; "
      "jinja: false passes them as they are";

  // command: only when set; args appended then.
  const std::string command = params.value("command", std::string());
  if (!command.empty()) {
    std::vector<std::string> words;
    try {
      words = shell_split(command);
    } catch (const UsageError& e) {
      throw UsageError(shown + ": parameters." + e.what());
    }
    if (params.contains("args"))
      for (const auto& a : params["args"]) words.push_back(python_str(a));
    if (jinja) {
      for (size_t i = 0; i < words.size(); ++i)
        words[i] = render_job_value(
            words[i],
            shown + ": Bad command or args: word " + std::to_string(i + 1) + " '" + words[i] + "'",
            render_vars, hint);
    }
    spec.cmd = std::move(words);
  } else if (params.contains("args") && !params["args"].empty()) {
    plan.notices.push_back(shown +
                           ": parameters.args are not used without parameters.command, as the "
                           "lava worker does (the image's own command runs)");
  }

  // The environment, in job_environment()'s order (later wins).
  Env env;
  const Json job_env = params.contains("env") ? params["env"] : Json::object();
  if (jinja) {
    for (const auto& [k, v] : job_env.items())
      put(env, k,
          render_job_value(python_str(v), shown + ": Bad environment variable: " + k, render_vars,
                           hint));
  } else if (!job_env.empty()) {
    plan.notices.push_back(shown +
                           ": jinja is false, so parameters.env is not passed to the container, "
                           "as the lava worker does");
  }
  std::string s3_temp = realm_string(realm_info, "s3_temp");
  std::string s3_payloads = realm_string(realm_info, "s3_payloads");
  std::string s3_key = realm_string(realm_info, "s3_key");
  put(env, "LAVA_S3_TMP",
      (s3_temp.empty() ? std::string(kNoS3) + "/tmp" : s3_temp) + "/" + job.job_id + "/" + run_id);
  put(env, "LAVA_S3_PAYLOAD",
      (s3_payloads.empty() ? std::string(kNoS3) + "/payloads" : s3_payloads) + "/" + job.payload);
  put(env, "LAVA_TMP", tmp_dir.string());
  put(env, "LAVA_REALM", realm);
  put(env, "LAVA_WORKER", job.worker);
  put(env, "LAVA_OWNER", owner);
  put(env, "LAVA_JOB_ID", job.job_id);
  put(env, "LAVA_RUN_ID", run_id);
  if (!s3_key.empty()) put(env, "LAVA_S3_KEY", s3_key);

  // Connections: a local stand-in for each, or a clear refusal.
  auto given = parse_connections(request.connections);
  const Json conns = params.contains("connections") ? params["connections"] : Json::object();
  for (const auto& [label, exe] : given) {
    if (!conns.contains(label)) {
      std::string have;
      for (const auto& [k, v] : conns.items()) have += (have.empty() ? "" : ", ") + k;
      throw UsageError("--connection " + label + "=...: the job has no connection '" + label +
                       "' (parameters.connections has: " + (have.empty() ? "none" : have) + ")");
    }
  }
  for (const auto& [label, conn_id] : conns.items()) {
    auto it =
        std::find_if(given.begin(), given.end(), [&](const auto& g) { return g.first == label; });
    if (it == given.end())
      throw UsageError(shown + ": parameters.connections." + label + " (conn_id " +
                       conn_id.get<std::string>() +
                       "): lava connections cannot be reproduced locally; give --connection " +
                       label + "=EXECUTABLE to stand in for it");
    ConnectionStandIn s;
    s.label = label;
    s.executable = it->second;
    s.in_tmp = tmp_dir / (".lava-connection-" + label);
    put(env, "LAVA_CONNID_" + upper(label), conn_id.get<std::string>());
    put(env, "LAVA_CONN_" + upper(label), s.in_tmp.string());
    out.connections.push_back(std::move(s));
  }
  for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);

  spec.labels = {{"lava.realm", realm},
                 {"lava.worker", job.worker},
                 {"lava.owner", owner},
                 {"lava.job_id", job.job_id},
                 {"lava.run_id", run_id}};
  spec.binds = {tmp_dir.string() + ":" + tmp_dir.string() + ":rw"};
  spec.name = "lava-" + container_uuid;
  return out;
}

}  // namespace lava::run
