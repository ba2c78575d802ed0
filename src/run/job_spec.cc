#include "run/job_spec.h"

#include <algorithm>
#include <regex>

#include "run/duration.h"
#include "run/host_config.h"
#include "template/render.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::run {

namespace fs = std::filesystem;
using project::Json;

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

const std::vector<std::string>& job_parameter_keys() {
  static const std::vector<std::string> keys = {
      "args", "command", "connections", "docker", "env", "host_config", "jinja", "timeout", "vars"};
  return keys;
}

project::Json job_template_params(const project::Project& project,
                                  const project::Json& realm_info) {
  Json params = project.config.values.is_object() ? project.config.values : Json::object();
  if (realm_info.is_object())
    for (const auto& [k, v] : realm_info.items()) params[k] = v;
  params["env"] = project.config.env;
  return params;
}

JobSpec load_job_spec(const project::Project& project, const fs::path& file,
                      const std::string& shown, const project::Json& realm_info,
                      const std::function<std::string(const std::string&)>& aws_info) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw UsageError("--job " + shown + ": no such file");
  std::string text = read_file(file);
  tmpl::RenderOptions opts;
  opts.delimiter = '<';
  opts.search_dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  opts.realm_info = realm_info;
  opts.templates = {shown};
  if (aws_info) opts.aws_info = aws_info;
  std::string rendered;
  try {
    rendered = tmpl::render_string(text, shown, job_template_params(project, realm_info), opts);
  } catch (const tmpl::TemplateError& e) {
    throw Error(e.what());
  }
  Json doc;
  const std::string ext = lower_extension(file);
  if (ext == ".json" || ext == ".jsn") {
    try {
      doc = Json::parse(rendered);
    } catch (const nlohmann::json::parse_error& e) {
      throw UsageError(shown + ": invalid JSON after rendering: " + e.what());
    }
  } else {
    doc = project::load_yaml(rendered, shown + " (rendered)");
  }
  return check_job_spec(doc, shown);
}

JobSpec check_job_spec(const project::Json& doc, const std::string& shown) {
  auto fail = [&](const std::string& why) { return UsageError(shown + ": " + why); };
  if (!doc.is_object()) throw fail("a job spec must be a mapping");
  std::vector<std::string> missing;
  for (const char* k : {"job_id", "payload", "type", "worker"})
    if (!doc.contains(k)) missing.push_back(k);
  if (!missing.empty()) throw fail("Missing keys: " + joined(missing) + " (a lava job needs them)");
  for (const char* k : {"job_id", "payload", "type", "worker"})
    if (!doc[k].is_string()) throw fail(std::string(k) + ": expected a string");
  if (doc["type"] != "docker")
    throw fail("type '" + doc["type"].get<std::string>() +
               "': run --job runs docker jobs only (type: docker)");

  JobSpec spec;
  spec.file = shown;
  spec.doc = doc;
  spec.job_id = doc["job_id"];
  spec.worker = doc["worker"];
  spec.payload = doc["payload"];
  if (doc.contains("owner")) {
    if (!doc["owner"].is_string()) throw fail("owner: expected a string");
    spec.owner = doc["owner"];
  }
  if (doc.contains("globals") && !doc["globals"].is_null()) {
    if (!doc["globals"].is_object()) throw fail("globals: expected a mapping");
    spec.globals = doc["globals"];
  }
  if (doc.contains("parameters") && !doc["parameters"].is_null()) {
    if (!doc["parameters"].is_object()) throw fail("parameters: expected a mapping");
    spec.parameters = doc["parameters"];
  }
  const Json& p = spec.parameters;

  // The worker's own checks, in its order, before anything starts.
  std::vector<std::string> unexpected;
  const auto& allowed = job_parameter_keys();
  for (const auto& [k, v] : p.items())
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) unexpected.push_back(k);
  std::sort(unexpected.begin(), unexpected.end());
  if (!unexpected.empty())
    throw fail("Bad job parameters: Unexpected keys: " + joined(unexpected) +
               " (a docker job takes " + joined(allowed) + ")");

  if (p.contains("timeout")) {
    const Json& t = p["timeout"];
    if (t.is_number()) {
      if (t.get<double>() < 0) throw fail("parameters.timeout: must not be negative");
    } else if (t.is_string()) {
      parse_duration(t.get<std::string>(), shown + ": parameters.timeout");
    } else {
      throw fail("parameters.timeout: expected a duration such as 30s, 5m or 1h");
    }
  }
  if (p.contains("host_config") && !p["host_config"].is_null()) {
    if (!p["host_config"].is_object()) throw fail("parameters.host_config: expected a mapping");
    auto bad = unexpected_host_config_keys(p["host_config"]);
    if (!bad.empty())
      throw fail("Bad host_config parameters: Unexpected keys: " + joined(bad) +
                 " (the lava worker allows only these docker-py keys: " +
                 joined(host_config_keys()) + ")");
  }
  if (p.contains("vars") && !p["vars"].is_object())
    throw fail("parameters.vars: vars must be a map/dict");
  if (p.contains("command") && !p["command"].is_string())
    throw fail("parameters.command: expected a string (it is split like a shell)");
  if (p.contains("args")) {
    if (!p["args"].is_array()) throw fail("parameters.args: expected a list of strings or numbers");
    for (size_t i = 0; i < p["args"].size(); ++i) {
      const Json& a = p["args"][i];
      if (!a.is_string() && !a.is_number())
        throw fail("parameters.args[" + std::to_string(i) + "]: " + a.dump() +
                   ": expected a string or a number");
    }
  }
  if (p.contains("env")) {
    if (!p["env"].is_object()) throw fail("parameters.env: expected a mapping of NAME: value");
    for (const auto& [k, v] : p["env"].items())
      if (v.is_object() || v.is_array())
        throw fail("parameters.env." + k + ": expected a string, not " + v.dump());
  }
  if (p.contains("jinja") && !p["jinja"].is_boolean())
    throw fail("parameters.jinja: expected true or false");
  if (p.contains("docker") && !p["docker"].is_string())
    throw fail("parameters.docker: expected a connection id (a string)");
  if (p.contains("connections")) {
    if (!p["connections"].is_object())
      throw fail("parameters.connections: connections parameter must be a map");
    static const std::regex label("^\\w+$");
    for (const auto& [k, v] : p["connections"].items()) {
      if (!std::regex_match(k, label))
        throw fail("parameters.connections: Bad connection label: " + k);
      if (!v.is_string())
        throw fail("parameters.connections." + k + ": expected a conn_id (a string)");
    }
  }
  return spec;
}

}  // namespace lava::run
