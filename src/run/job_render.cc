#include "run/job_render.h"

#include <ctime>

#include "template/render.h"
#include "util/error.h"

namespace lava::run {

namespace {

// jinja2.Template() has no loader: include/import/extends fail. Our engine needs a root,
// so give it one that holds nothing.
constexpr const char* kNoTemplateDir = "/nonexistent/lava-docker-job-templates";

}  // namespace

std::string python_datetime(std::chrono::system_clock::time_point t, bool utc) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  if (secs > t) secs -= seconds(1);  // floor, for times before the epoch
  auto micros = duration_cast<microseconds>(t - secs).count();
  std::time_t tt = system_clock::to_time_t(secs);
  std::tm tm{};
  if (utc) {
    gmtime_r(&tt, &tm);
  } else {
    localtime_r(&tt, &tm);
  }
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out(buf, n);
  if (micros != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros));
    out += buf;
  }
  long off = utc ? 0 : tm.tm_gmtoff;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", sign, off / 3600, (off % 3600) / 60);
  out += buf;
  if (off % 60 != 0) {
    std::snprintf(buf, sizeof buf, ":%02ld", off % 60);
    out += buf;
  }
  return out;
}

project::Json job_render_vars(const JobFacts& job) {
  using project::Json;
  const std::string start = python_datetime(job.start, false);
  const std::string ustart = python_datetime(job.start, true);

  Json globals = job.globals.is_object() ? job.globals : Json::object();
  // The worker's reserved globals for a job that is its own master and parent.
  globals["lava"] = Json{{"master_job_id", job.job_id},
                         {"parent_job_id", job.job_id},
                         {"master_start", start},
                         {"master_ustart", ustart},
                         {"parent_start", start},
                         {"parent_ustart", ustart},
                         {"iteration", 1}};

  Json realm = job.realm_info.is_object() ? job.realm_info : Json::object();
  if (!realm.contains("realm")) realm["realm"] = job.realm;

  Json spec = job.spec.is_object() ? job.spec : Json::object();
  spec["job_id"] = job.job_id;
  if (!spec.contains("type")) spec["type"] = "docker";
  spec["worker"] = job.worker;
  spec["owner"] = job.owner;
  spec["payload"] = job.payload;
  if (!spec.contains("enabled")) spec["enabled"] = true;
  spec["parameters"] = job.parameters;
  spec["globals"] = globals;
  spec["state"] = Json::object();
  spec["realm"] = job.realm;
  spec["run_id"] = job.run_id;
  spec["ts_dispatch"] = start;
  spec["ts_start"] = start;
  spec["ts_ustart"] = ustart;

  Json vars = Json::object();
  vars["job"] = spec;
  vars["realm"] = realm;
  vars["globals"] = globals;
  vars["start"] = start;
  vars["state"] = Json::object();
  vars["ustart"] = ustart;
  auto v = job.parameters.find("vars");
  vars["vars"] = (v != job.parameters.end() && v->is_object()) ? *v : Json::object();
  return vars;
}

std::string render_job_value(const std::string& text, const std::string& what,
                             const project::Json& vars, const std::string& hint) {
  tmpl::RenderOptions opts;
  opts.delimiter = '{';
  opts.builtins = false;
  opts.environ = false;
  opts.search_path = false;
  opts.search_dir = kNoTemplateDir;
  try {
    return tmpl::render_string(text, what, vars, opts);
  } catch (const tmpl::TemplateError& e) {
    throw UsageError(what + ": " + e.message() + " (" +
                     (hint.empty() ? "values are Jinja-rendered as the lava worker does; "
                                     "--no-jinja passes them as they are"
                                   : hint) +
                     ")");
  }
}

}  // namespace lava::run
