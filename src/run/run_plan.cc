#include "run/run_plan.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "run/duration.h"
#include "run/job_render.h"
#include "run/shell_split.h"
#include "util/error.h"

namespace lava::run {

RunIdentity RunIdentity::current() {
  RunIdentity who;
  who.uid = ::geteuid();
  who.gid = ::getegid();
  struct passwd pw;
  struct passwd* found = nullptr;
  char buf[4096];
  if (::getpwuid_r(who.uid, &pw, buf, sizeof buf, &found) == 0 && found) {
    who.user_name = found->pw_name;
  } else if (const char* u = std::getenv("USER"); u && *u) {
    who.user_name = u;
  } else {
    who.user_name = std::to_string(who.uid);
  }
  return who;
}

std::string default_run_image(const project::Project& project, const project::Payload& payload,
                              std::vector<std::string>& notices) {
  const auto& platforms = project.config.platforms.platforms;
  if (platforms.size() <= 1) return payload.image + ":latest";
  project::Platform host = project::host_platform();
  for (const auto& p : platforms) {
    if (p.architecture == host.architecture) return payload.image + ":latest-" + p.suffix();
  }
  notices.push_back("this host (" + host.str() +
                    ") is not among the configured platforms; running the " +
                    platforms.front().str() + " image");
  return payload.image + ":latest-" + platforms.front().suffix();
}

std::vector<std::pair<std::string, std::string>> parse_env_options(
    const std::vector<std::string>& options, const docker::EnvLookup& our_env) {
  static const std::regex name_re("^[A-Za-z_][A-Za-z0-9_]*$");
  static const char* fixed[] = {"LAVA_REALM", "LAVA_WORKER", "LAVA_RUN_ID", "LAVA_TMP"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& o : options) {
    size_t eq = o.find('=');
    std::string name = o.substr(0, eq);
    if (!std::regex_match(name, name_re)) {
      throw UsageError("-e " + o + ": expected NAME=VALUE with a variable name");
    }
    if (std::find(std::begin(fixed), std::end(fixed), name) != std::end(fixed)) {
      throw UsageError("-e " + o + ": " + name +
                       " is set by the run itself, as the lava worker sets it");
    }
    std::string value;
    if (eq == std::string::npos) {
      auto v = our_env(name);
      if (!v) throw UsageError("-e " + o + ": no value given and " + name + " is not set here");
      value = *v;
    } else {
      value = o.substr(eq + 1);
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
    if (it != out.end()) out.erase(it);
    out.emplace_back(name, value);
  }
  return out;
}

project::Json parse_name_values(const std::vector<std::string>& options,
                                const std::string& option) {
  project::Json out = project::Json::object();
  for (const auto& o : options) {
    size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError(option + " " + o + ": expected NAME=VALUE");
    }
    std::string name = o.substr(0, eq);
    if (option == "--global") {
      std::string lower = name.substr(0, 4);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "lava") {
        throw UsageError(option + " " + o + ": globals whose name starts with 'lava' are " +
                         "reserved for lava itself");
      }
    }
    out[name] = o.substr(eq + 1);
  }
  return out;
}

namespace {

std::string realm_string(const project::Json& realm, const char* key) {
  if (!realm.is_object()) return {};
  auto it = realm.find(key);
  if (it == realm.end() || !it->is_string()) return {};
  std::string v = it->get<std::string>();
  while (!v.empty() && v.back() == '/') v.pop_back();
  return v;
}

// Sets `name` in an ordered environment, replacing an earlier value.
void put(std::vector<std::pair<std::string, std::string>>& env, const std::string& name,
         const std::string& value) {
  auto it = std::find_if(env.begin(), env.end(), [&](const auto& p) { return p.first == name; });
  if (it != env.end()) env.erase(it);
  env.emplace_back(name, value);
}

// -e names that stand in for what the worker knows and a local run does not.
bool is_worker_fact(const std::string& name) {
  return name == "LAVA_JOB_ID" || name == "LAVA_OWNER" || name.rfind("LAVA_S3_", 0) == 0;
}

const std::string* given(const std::vector<std::pair<std::string, std::string>>& env,
                         const std::string& name) {
  for (const auto& [k, v] : env)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace

RunPlan plan_run(const project::Project& project, const RunRequest& request, const RunIdentity& who,
                 const std::string& run_id, const std::filesystem::path& tmp_dir,
                 const project::Json& realm_info, const docker::EnvLookup& our_env) {
  auto selected = project::select_payloads(project.payloads, {request.payload});
  const project::Payload& payload = selected.front();
  RunPlan plan;
  plan.payload = payload.name;
  plan.run_id = run_id;
  plan.tmp_dir = tmp_dir;
  plan.timeout = request.timeout;

  auto& spec = plan.spec;
  spec.image = request.image ? *request.image : default_run_image(project, payload, plan.notices);

  // The job's env first; the worker's own variables override it (job_environment()).
  auto user_env = parse_env_options(request.env, our_env);
  std::vector<std::pair<std::string, std::string>> env = user_env;

  std::string job_prefix;
  const auto& values = project.config.values;
  if (values.is_object()) {
    auto prefix = values.find("prefix");
    if (prefix != values.end() && prefix->is_object()) {
      auto job = prefix->find("job");
      if (job != prefix->end() && job->is_string()) job_prefix = job->get<std::string>();
    }
  }
  if (const auto* j = given(user_env, "LAVA_JOB_ID")) {
    plan.job_id = *j;
  } else if (!job_prefix.empty()) {
    plan.job_id = job_prefix + "/" + payload.name;
  } else {
    plan.job_id = payload.name;
    plan.notices.push_back(project.config.file.string() + ": no prefix.job; using job id '" +
                           payload.name + "' (set one with -e LAVA_JOB_ID=...)");
  }
  std::string owner =
      given(user_env, "LAVA_OWNER") ? *given(user_env, "LAVA_OWNER") : who.user_name;

  std::string s3_temp = realm_string(realm_info, "s3_temp");
  std::string s3_payloads = realm_string(realm_info, "s3_payloads");
  std::string s3_key = realm_string(realm_info, "s3_key");
  if (!given(user_env, "LAVA_S3_TMP")) {
    put(env, "LAVA_S3_TMP",
        (s3_temp.empty() ? std::string(kNoS3) + "/tmp" : s3_temp) + "/" + plan.job_id + "/" +
            run_id);
  }
  if (!given(user_env, "LAVA_S3_PAYLOAD")) {
    put(env, "LAVA_S3_PAYLOAD",
        (s3_payloads.empty() ? std::string(kNoS3) + "/payloads" : s3_payloads) + "/" + spec.image);
  }
  put(env, "LAVA_TMP", tmp_dir.string());
  put(env, "LAVA_REALM", project.config.realm);
  put(env, "LAVA_WORKER", kLocalWorker);
  put(env, "LAVA_OWNER", owner);
  put(env, "LAVA_JOB_ID", plan.job_id);
  put(env, "LAVA_RUN_ID", run_id);
  // The worker passes the realm's s3_key, and nothing when the realm has none.
  if (const auto* k = given(user_env, "LAVA_S3_KEY")) {
    put(env, "LAVA_S3_KEY", *k);
  } else if (!s3_key.empty()) {
    put(env, "LAVA_S3_KEY", s3_key);
  }
  plan.hostname = "lava-" + project.config.realm + "-" + kLocalWorker + "-" + run_id;
  if (plan.hostname.size() > kMaxHostname) {
    plan.notices.push_back("hostname " + plan.hostname + " is longer than " +
                           std::to_string(kMaxHostname) +
                           " characters, which the kernel refuses (the lava worker would fail "
                           "to start this container); shortened here");
    plan.hostname.resize(kMaxHostname);
    while (!plan.hostname.empty() && plan.hostname.back() == '-') plan.hostname.pop_back();
  }
  spec.hostname = plan.hostname;
  spec.labels = {{"lava.realm", project.config.realm},
                 {"lava.worker", kLocalWorker},
                 {"lava.owner", owner},
                 {"lava.job_id", plan.job_id},
                 {"lava.run_id", run_id}};
  // As the worker: its effective uid as the user (so the primary group is whatever the
  // image gives that uid), its effective gid as a supplementary group.
  spec.user = std::to_string(who.uid);
  spec.group_add = {std::to_string(who.gid)};
  spec.working_dir = tmp_dir.string();
  spec.binds = {tmp_dir.string() + ":" + tmp_dir.string() + ":rw"};
  spec.name = "lava-" + run_id;

  // The job the worker would run, for rendering: parameters as a job spec holds them.
  JobFacts job;
  job.job_id = plan.job_id;
  job.run_id = run_id;
  job.realm = project.config.realm;
  job.worker = kLocalWorker;
  job.owner = owner;
  job.payload = spec.image;
  job.start = request.start;
  job.realm_info = realm_info;
  job.globals = parse_name_values(request.globals, "--global");
  auto& params = job.parameters;
  params["vars"] = parse_name_values(request.vars, "--var");
  params["timeout"] = format_duration(request.timeout);
  params["jinja"] = request.jinja;
  params["env"] = project::Json::object();
  for (const auto& [k, v] : user_env)
    if (!is_worker_fact(k)) params["env"][k] = v;
  if (!request.command.empty()) {
    params["command"] = request.command.front();
    params["args"] = std::vector<std::string>(request.command.begin() + 1, request.command.end());
  }
  const project::Json vars = request.jinja ? job_render_vars(job) : project::Json();

  // Values the user wrote as the job's env are templates; -e NAME (our own value) and the
  // stand-ins for the worker's own facts are not.
  auto literal = [&](const std::string& name) {
    if (is_worker_fact(name)) return true;
    for (auto it = request.env.rbegin(); it != request.env.rend(); ++it) {
      if (it->substr(0, it->find('=')) == name) return it->find('=') == std::string::npos;
    }
    return true;  // set by the run itself
  };
  for (auto& [k, v] : env) {
    if (request.jinja && !literal(k)) v = render_job_value(v, "-e " + k, vars);
    spec.env.push_back(k + "=" + v);
  }

  if (!request.command.empty()) {
    std::vector<std::string> cmd = shell_split(request.command.front());
    if (cmd.empty()) throw UsageError("command '" + request.command.front() + "': no words");
    cmd.insert(cmd.end(), request.command.begin() + 1, request.command.end());
    // As the worker: split first, then render each word on its own.
    if (request.jinja) {
      for (size_t i = 0; i < cmd.size(); ++i)
        cmd[i] = render_job_value(
            cmd[i], "command word " + std::to_string(i + 1) + " '" + cmd[i] + "'", vars);
    }
    spec.cmd = std::move(cmd);
  }
  return plan;
}

}  // namespace lava::run
