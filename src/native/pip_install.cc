#include "native/pip_install.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "native/command.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"

extern char** environ;

namespace lava::native {

namespace fs = std::filesystem;

namespace {

std::string strip_root(const std::string& path) {
  size_t i = 0;
  while (i < path.size() && path[i] == '/') ++i;
  return path.substr(i);
}

// The last "ERROR: ..." line of pip's output, for a failure message.
std::string last_error_line(const std::string& output) {
  std::string found;
  size_t start = 0;
  while (start < output.size()) {
    size_t nl = output.find('\n', start);
    if (nl == std::string::npos) nl = output.size();
    std::string line = output.substr(start, nl - start);
    if (line.rfind("ERROR: ", 0) == 0) found = line.substr(7);
    start = nl + 1;
  }
  return found;
}

// Runs each job's pip in this interpreter, between marker lines; a pip that cannot be
// imported this way (a future layout) runs as a process instead.
constexpr const char* kDriver = R"py(
import json, os, subprocess, sys
jobs = json.loads(sys.argv[1])
try:
    from pip._internal.cli.main import main as pip_main
except Exception:
    pip_main = None
for job in jobs:
    print("\n@@lava-pip-start %d" % job["n"], flush=True)
    os.chdir(job["cwd"])
    try:
        if pip_main is None:
            rc = subprocess.call([sys.executable, "-m", "pip"] + job["args"])
        else:
            rc = pip_main(job["args"])
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    print("\n@@lava-pip-end %d %d" % (job["n"], rc or 0), flush=True)
    if rc:
        sys.exit(rc)
)py";

[[noreturn]] void pip_failed(const PipJob& job, const PipRun& run, int status,
                             const std::string& output) {
  std::string what = job.file.filename().string();
  const PipTarget& target = job.target;
  static const std::regex kUnreachable(
      R"((Retrying \(Retry\(|Could not fetch URL|NewConnectionError|Failed to establish a new connection)[^\n]*)");
  std::smatch u;
  if (std::regex_search(output, u, kUnreachable))
    throw Error(run.payload + ": " + what + ": pip could not reach the package index (" +
                redact(u[0].str()) + "); check PIP_INDEX_URL");
  static const std::regex kNoWheel(R"(No matching distribution found for ([^\s]+))");
  std::smatch m;
  if (std::regex_search(output, m, kNoWheel))
    throw Error(run.payload + ": " + what + ": no wheel of '" + redact(m[1].str()) + "' for " +
                target.platform + " (CPython " + target.python_version + ", " + target.libc +
                ") in the package index; the native engine installs wheels only, never builds "
                "from source: build this payload with --engine docker");
  if (output.find("No module named pip") != std::string::npos)
    throw Error(run.payload + ": the native engine needs pip for " + run.host_python +
                " on the build host to install " + what + " (python3 -m pip is missing)");
  std::string err = last_error_line(output);
  throw Error(run.payload + ": pip failed installing " + what + " for " + target.platform +
              " (exit " + std::to_string(status) + ")" +
              (err.empty() ? std::string() : ": " + redact(err)));
}

// Rewrites a console script's "#!<host python>" line to the base image's python3.
std::string fix_shebang(const std::string& content, const std::vector<std::string>& host_pythons,
                        const std::string& base_python) {
  if (content.rfind("#!", 0) != 0) return content;
  size_t nl = content.find('\n');
  std::string line = content.substr(2, nl == std::string::npos ? std::string::npos : nl - 2);
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos) return content;
  size_t end = line.find_first_of(" \t", start);
  std::string interpreter =
      line.substr(start, end == std::string::npos ? std::string::npos : end - start);
  bool ours = false;
  for (const auto& h : host_pythons) ours = ours || interpreter == h;
  if (!ours) return content;
  std::string rest = end == std::string::npos ? "" : line.substr(end);
  return "#!" + base_python + rest + (nl == std::string::npos ? "" : content.substr(nl));
}

}  // namespace

bool pip_passes_through(const std::string& name) {
  static const std::set<std::string> kPassed = {
      "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST",
      "PIP_CERT",      "PIP_CLIENT_CERT",     "PIP_PROXY",
      "PIP_TIMEOUT",   "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES"};
  return kPassed.count(name) > 0;
}

std::vector<std::string> pip_install_args(const PipJob& job, const fs::path& cache_dir) {
  const PipTarget& target = job.target;
  std::vector<std::string> a = {"install",
                                "--target",
                                job.target_dir.string(),
                                "--upgrade",
                                "--no-compile",
                                "--only-binary=:all:",
                                "--implementation",
                                "cp",
                                "--python-version",
                                target.python_version,
                                "--abi",
                                target.abi};
  for (const auto& tag : target.platform_tags) {
    a.push_back("--platform");
    a.push_back(tag);
  }
  if (cache_dir.empty()) {
    a.push_back("--no-cache-dir");
  } else {
    a.push_back("--cache-dir");
    a.push_back(cache_dir.string());
  }
  a.insert(a.end(), {"--no-warn-script-location", "--progress-bar", "off"});
  if (job.no_deps) a.push_back("--no-deps");
  a.push_back("-r");
  a.push_back(job.file.filename().string());
  return a;
}

std::vector<PipJob> pip_jobs_for(const PipTarget& target, const fs::path& requirements,
                                 const fs::path& requirements_nodeps, const fs::path& staging) {
  std::vector<PipJob> jobs;
  if (!requirements.empty()) jobs.push_back({target, requirements, false, staging / "deps"});
  if (!requirements_nodeps.empty())
    jobs.push_back({target, requirements_nodeps, true, staging / "nodeps"});
  return jobs;
}

void run_pip_jobs(const std::vector<PipJob>& jobs, const PipRun& run) {
  if (jobs.empty()) return;
  // The driver changes directory between jobs: every path must be absolute.
  const fs::path cache_dir = run.cache_dir.empty() ? fs::path() : fs::absolute(run.cache_dir);
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < jobs.size(); ++i) {
    PipJob job = jobs[i];
    job.file = fs::absolute(job.file);
    job.target_dir = fs::absolute(job.target_dir);
    list.push_back({{"n", i},
                    {"cwd", job.file.parent_path().string()},
                    {"args", pip_install_args(job, cache_dir)}});
  }
  Command cmd;
  cmd.argv = {run.host_python, "-c", kDriver, list.dump()};
  // pip sees what a docker build's pip would: PIP_INDEX_URL (and how to reach the index),
  // no pip configuration of the build host's, nothing that changes what gets installed.
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("PIP_", 0) != 0) continue;
    std::string name = kv.substr(0, kv.find('='));
    if (!pip_passes_through(name)) cmd.env[name] = std::nullopt;
  }
  for (const char* name : {"PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONSTARTUP"})
    cmd.env[name] = std::nullopt;
  for (const auto& [name, value] : run.env) cmd.env[name] = value;
  cmd.env["PIP_CONFIG_FILE"] = "/dev/null";
  cmd.env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
  cmd.env["PIP_NO_INPUT"] = "1";
  cmd.env["PIP_BREAK_SYSTEM_PACKAGES"] = "1";
  cmd.env["PIP_ROOT_USER_ACTION"] = "ignore";
  cmd.env["PYTHONDONTWRITEBYTECODE"] = "1";
  cmd.env["PYTHONUNBUFFERED"] = "1";

  // Each job's output, told apart by the driver's marker lines.
  std::vector<std::string> outputs(jobs.size());
  int current = -1;
  int failed = -1, failed_status = 0;
  cmd.on_line = [&](const std::string& line) {
    int n = 0, rc = 0;
    if (std::sscanf(line.c_str(), "@@lava-pip-start %d", &n) == 1 && n >= 0 &&
        n < static_cast<int>(jobs.size())) {
      current = n;
      return;
    }
    if (std::sscanf(line.c_str(), "@@lava-pip-end %d %d", &n, &rc) == 2) {
      if (rc != 0 && failed < 0) {
        failed = n;
        failed_status = rc;
      }
      current = -1;
      return;
    }
    if (current < 0) {
      if (line.empty()) return;
      outputs.front() += line + "\n";  // before the first job: python itself complaining
    } else {
      outputs[current] += line + "\n";
    }
    if (run.on_line && current >= 0) run.on_line(jobs[current], redact(line));
  };
  CommandResult r = run_command(cmd);
  if (r.exit_status == 0 && failed < 0) return;
  if (failed < 0) failed = current >= 0 ? current : 0;
  pip_failed(jobs[failed], run, failed_status ? failed_status : r.exit_status, outputs[failed]);
}

void add_parent_dirs(std::vector<oci::LayerEntry>& entries, const std::string& dir,
                     const BaseFacts& facts) {
  std::string prefix;
  std::string rest = strip_root(dir);
  size_t start = 0;
  while (start <= rest.size() && !rest.empty()) {
    size_t slash = rest.find('/', start);
    if (slash == std::string::npos) slash = rest.size();
    std::string part = rest.substr(start, slash - start);
    start = slash + 1;
    if (part.empty()) continue;
    prefix = prefix.empty() ? part : prefix + "/" + part;
    bool present = false;
    for (const auto& e : entries) present = present || e.path == prefix;
    if (present) continue;
    oci::LayerEntry d = oci::LayerEntry::directory(prefix);
    auto meta = facts.meta.find(prefix);
    if (meta != facts.meta.end()) {
      d.mode = meta->second.mode;
      d.uid = meta->second.uid;
      d.gid = meta->second.gid;
    }
    entries.push_back(std::move(d));
    if (slash == rest.size()) break;
  }
}

std::vector<oci::LayerEntry> pip_layer_entries(const fs::path& staging, const BaseFacts& facts,
                                               const std::string& host_python) {
  if (!facts.python) throw Error("pip layer: the base image has no python3");
  const std::string site = strip_root(facts.python->site_dir);
  const std::string scripts = strip_root(facts.python->scripts_dir);
  std::vector<std::string> host_pythons = {host_python};
  std::error_code ec;
  fs::path canonical = fs::canonical(host_python, ec);
  if (!ec) host_pythons.push_back(canonical.string());

  std::map<std::string, oci::LayerEntry> by_path;
  for (const char* part : {"deps", "nodeps"}) {
    fs::path dir = staging / part;
    if (!fs::is_directory(dir)) continue;
    for (const auto& top : fs::directory_iterator(dir)) {
      std::string name = top.path().filename().string();
      bool is_bin = name == "bin" && top.is_directory();
      std::string dest = is_bin ? scripts : site + "/" + name;
      std::vector<oci::LayerEntry> found;
      if (top.is_symlink() || !top.is_directory()) {
        auto st = top.symlink_status();
        if (st.type() == fs::file_type::symlink) {
          found.push_back(oci::LayerEntry::symlink(dest, fs::read_symlink(top.path()).string()));
        } else if (st.type() == fs::file_type::regular) {
          found.push_back(oci::LayerEntry::file_from(
              dest, top.path(),
              oci::normalised_mode(oci::LayerEntry::Type::kFile,
                                   static_cast<unsigned>(st.permissions()))));
        } else {
          throw Error(top.path().string() + ": pip left something that is not a file");
        }
      } else {
        if (!is_bin) found.push_back(oci::LayerEntry::directory(dest));
        add_tree(found, top.path(), dest);
      }
      for (auto& e : found) {
        if (is_bin && e.type == oci::LayerEntry::Type::kFile) {
          e.content = fix_shebang(read_file(e.source), host_pythons, facts.python->executable);
          e.source.clear();
        }
        by_path[e.path] = std::move(e);
      }
    }
  }
  std::vector<oci::LayerEntry> entries;
  add_parent_dirs(entries, site, facts);
  bool has_scripts = false;
  for (const auto& [path, e] : by_path)
    has_scripts = has_scripts || path.rfind(scripts + "/", 0) == 0;
  if (has_scripts) add_parent_dirs(entries, scripts, facts);
  for (auto& e : entries) by_path.emplace(e.path, std::move(e));  // staged entries win
  entries.clear();
  for (auto& [path, e] : by_path) entries.push_back(std::move(e));
  return entries;
}

}  // namespace lava::native
