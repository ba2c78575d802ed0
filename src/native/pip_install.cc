#include "native/pip_install.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "native/command.h"
#include "native/pyc_compile.h"
#include "native/spooled_files.h"
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

// Runs each job's pip in this interpreter, between marker lines, with pip taught to install
// for the target rather than for itself: markers evaluate against the target's environment,
// wheels install into the target's scheme (under the job's staging root), scripts start with
// the target's python3, the modules pip would byte-compile are listed, as pip installs them,
// in the job's kModulesFile for pyc_compile.h (an interpreter of the target's version).
// A pip without the internals patched here is refused rather than driven half-way.
constexpr const char* kDriver = R"py(
import json, os, shutil, sys
jobs = json.loads(sys.argv[1])
try:
    import types
    from pip._internal.cli.main import main as pip_main
    from pip._vendor.packaging import markers
    from pip._internal.models.scheme import Scheme
    from pip._internal.operations.install import wheel as wheel_mod
    from pip._internal.req import req_install
    from pip._internal.index import collector
    for mod, name in ((markers, "default_environment"), (req_install, "install_wheel"),
                      (wheel_mod, "fix_script"), (wheel_mod, "PipScriptMaker"),
                      (wheel_mod, "compileall"), (wheel_mod, "ZipBackedFile"),
                      (wheel_mod, "zip_item_is_executable"),
                      (collector, "_handle_get_simple_fail")):
        if not hasattr(mod, name):
            raise ImportError("%s.%s" % (mod.__name__, name))
except Exception as e:
    try:
        import pip
        version = pip.__version__
    except Exception:
        version = "none"
    print("\n@@lava-pip-unsupported %s %s" % (version, e), flush=True)
    sys.exit(3)

current = {}
host_environment = markers.default_environment

def target_environment():
    env = host_environment()  # the kernel's release and version: the container's too
    env.update(current["markers"])
    return env
markers.default_environment = target_environment

def in_root(path):
    return current["root"] + path

install_wheel_for_host = req_install.install_wheel
def install_wheel(name, wheel_path, *args, **kwargs):
    s = current["scheme"]
    scheme = Scheme(platlib=in_root(s["site"]), purelib=in_root(s["site"]),
                    headers=os.path.join(in_root(s["include"]), name),
                    scripts=in_root(s["scripts"]), data=in_root(s["data"]))
    if "scheme" in kwargs:
        kwargs["scheme"] = scheme
    else:
        args = (scheme,) + tuple(args[1:])
    return install_wheel_for_host(name, wheel_path, *args, **kwargs)
req_install.install_wheel = install_wheel

def fix_script(path):  # .data/scripts' "#!python" line, as pip rewrites it
    with open(path, "rb") as f:
        first = f.readline()
        if not first.startswith(b"#!python"):
            return False
        rest = f.read()
    with open(path, "wb") as f:
        f.write(b"#!" + current["scheme"]["python"].encode() + b"\n" + rest)
    return True
wheel_mod.fix_script = fix_script

class TargetScriptMaker(wheel_mod.PipScriptMaker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.executable = current["scheme"]["python"]
wheel_mod.PipScriptMaker = TargetScriptMaker

save_for_host = wheel_mod.ZipBackedFile.save
def save_in_spool(self):
    # A package file bound for site-packages goes into the job's spool (spooled_files.h),
    # not a file of its own; .dist-info files stay files (pip writes RECORD beside them).
    site = current["site_root"]
    dest = self.dest_path
    if not dest.startswith(site) or dest[len(site):].split("/", 1)[0].endswith(".dist-info"):
        return save_for_host(self)
    info = self._getinfo()
    spool = current["spool"]
    offset = spool.tell()
    with self._zip_file.open(info) as f:
        shutil.copyfileobj(f, spool, 1 << 20)
    # pip's modes under umask 022: 0644, or 0755 for what the wheel marks executable
    mode = 0o755 if wheel_mod.zip_item_is_executable(info) else 0o644
    image_path = "/" + os.path.relpath(dest, current["root"])
    row = [image_path, current["spool_name"], offset, spool.tell() - offset, mode]
    current["spooled"].write(json.dumps(row) + "\n")
    if dest.endswith(".py"):  # pip only compiles what it finds on disk: listed here instead
        spool.flush()  # the compiling reads it as soon as it is listed
        list_module(row)
wheel_mod.ZipBackedFile.save = save_in_spool

def list_module(value):
    current["listed"].write(json.dumps(value) + "\n")
    current["listed"].flush()
    current["count"] += 1

def compile_file(fullname, **kwargs):
    # pip asks for each module it installed; an interpreter of the target's exact version
    # compiles them (pyc_compile.h), following this list as it grows: here they are listed.
    list_module("/" + os.path.relpath(fullname, current["root"]))
    return False
wheel_mod.compileall = types.SimpleNamespace(compile_file=compile_file)

fail_for_host = collector._handle_get_simple_fail
def fetch_failed(link, reason, meth=None):
    if "404" in str(reason):
        current["saw404"] = True
    page = str(getattr(link, "url", link)).rstrip("/").rsplit("/", 1)[-1]
    print("\n@@lava-pip-fetch-failed %s %s" % (page, "404" if "404" in str(reason) else "other"),
          flush=True)
    return fail_for_host(link, reason, meth)
collector._handle_get_simple_fail = fetch_failed

def index_status():
    url = os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple/"
    try:
        from pip._internal.network.session import PipSession
        r = PipSession(retries=0).get(url, timeout=15, stream=True)  # PyPI's is large
        r.close()
        return str(r.status_code)
    except Exception:
        return "unreachable"

print("\n@@lava-pip-host %s %d.%d.%d" % ((sys.implementation.name,) + tuple(sys.version_info[:3])),
      flush=True)
os.umask(0o022)
for job in jobs:
    print("\n@@lava-pip-start %d" % job["n"], flush=True)
    os.chdir(job["cwd"])
    current.update(job)
    current["saw404"] = False
    current["count"] = 0
    current["listed"] = open(job["modules_file"], "w")
    job_dir = os.path.dirname(job["modules_file"])
    current["site_root"] = in_root(job["scheme"]["site"]).rstrip("/") + "/"
    current["spool"] = open(os.path.join(job_dir, job["spool_file"]), "wb")
    current["spool_name"] = job["spool_file"]
    current["spooled"] = open(os.path.join(job_dir, job["spool_list"]), "w")
    current["listed"].write(json.dumps({"site": job["scheme"]["site"]}) + "\n")
    args = [job["args"][0], "--compile"] + job["args"][1:]
    try:
        rc = pip_main(args)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    current["spool"].close()  # what the list names is in the spool before the list ends
    current["spooled"].close()
    current["listed"].write("null\n")  # the end of the list
    current["listed"].close()
    print("\n@@lava-pip-modules %d %d" % (job["n"], current["count"]), flush=True)
    if rc and current["saw404"]:
        print("\n@@lava-pip-index %s" % index_status(), flush=True)
    print("\n@@lava-pip-end %d %d" % (job["n"], rc or 0), flush=True)
    if rc:
        sys.exit(rc)
)py";

// "(pip's output: <log>)", or "".
std::string see_log(const PipRun& run) {
  return run.log_file.empty() ? std::string() : " (pip's output: " + run.log_file + ")";
}

// PEP 503's normalised project name.
std::string normalised_project(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool sep = c == '-' || c == '_' || c == '.';
    if (sep) {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

[[noreturn]] void pip_failed(const PipJob& job, const PipRun& run, int status,
                             const std::string& output) {
  std::string what = job.file.filename().string();
  const PipTarget& target = job.target;
  const std::string log = see_log(run);
  std::smatch m;
  static const std::regex kUnsupported(R"(@@lava-pip-unsupported (\S+) ([^\n]*))");
  if (std::regex_search(output, m, kUnsupported)) {
    if (m[1] == "none" || output.find("No module named 'pip'") != std::string::npos)
      throw Error(run.payload + ": the native engine needs pip for " + run.host_python +
                  " on the build host to install " + what + " (python3 -m pip is missing)");
    throw Error(run.payload + ": the native engine cannot install for the target with pip " +
                m[1].str() + " of " + run.host_python + " (it lacks " + m[2].str() +
                "); point LAVA_PYTHON at an interpreter with pip 20.3 to 24, or build with "
                "--engine docker");
  }
  static const std::regex kUnreachable(
      R"((Retrying \(Retry\(|Could not fetch URL|NewConnectionError|Failed to establish a new connection)[^\n]*)");
  if (std::regex_search(output, m, kUnreachable))
    throw Error(run.payload + ": " + what + ": pip could not reach the package index (" +
                redact(m[0].str()) + "); check PIP_INDEX_URL" + log);
  static const std::regex kNoWheel(R"(No matching distribution found for ([^\s]+))");
  if (std::regex_search(output, m, kNoWheel)) {
    const std::string requirement = redact(m[1].str());
    static const std::regex kName(R"(^[A-Za-z0-9._-]+)");
    std::smatch n;
    std::string project = std::regex_search(requirement, n, kName)
                              ? normalised_project(n[0].str())
                              : normalised_project(requirement);
    std::smatch index;
    static const std::regex kIndex(R"(@@lava-pip-index (\S+))");
    const bool page_missing =
        output.find("@@lava-pip-fetch-failed " + project + " 404") != std::string::npos;
    if (page_missing && std::regex_search(output, index, kIndex) && index[1] != "200")
      throw Error(
          run.payload + ": " + what + ": pip found no package index at PIP_INDEX_URL (" +
          (index[1] == "unreachable" ? std::string("no answer") : "HTTP " + index[1].str()) +
          " for the index itself and for '" + project + "'); check PIP_INDEX_URL" + log);
    if (page_missing)
      throw Error(run.payload + ": " + what + ": '" + requirement +
                  "' is not in the package index (no project page for '" + project +
                  "'); check its name" + log);
    throw Error(run.payload + ": " + what + ": no wheel of '" + requirement + "' for " +
                target.platform + " (CPython " + target.python_version + ", " + target.libc +
                ") in the package index; the native engine installs wheels only, never builds "
                "from source: build this payload with --engine docker" +
                log);
  }
  if (output.find("No module named pip") != std::string::npos)
    throw Error(run.payload + ": the native engine needs pip for " + run.host_python +
                " on the build host to install " + what + " (python3 -m pip is missing)");
  std::string err = last_error_line(output);
  throw Error(run.payload + ": pip failed installing " + what + " for " + target.platform +
              " (exit " + std::to_string(status) + ")" +
              (err.empty() ? std::string() : ": " + redact(err)) + log);
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
  if (!requirements.empty())
    jobs.push_back(
        {target, requirements, false, staging / "deps" / "target", staging / "deps" / "root"});
  if (!requirements_nodeps.empty())
    jobs.push_back({target, requirements_nodeps, true, staging / "nodeps" / "target",
                    staging / "nodeps" / "root"});
  return jobs;
}

PipOutcome run_pip_jobs(const std::vector<PipJob>& jobs, const PipRun& run) {
  PipOutcome outcome;
  outcome.modules.assign(jobs.size(), 0);
  if (jobs.empty()) return outcome;
  // The driver changes directory between jobs: every path must be absolute.
  const fs::path cache_dir = run.cache_dir.empty() ? fs::path() : fs::absolute(run.cache_dir);
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < jobs.size(); ++i) {
    PipJob job = jobs[i];
    job.file = fs::absolute(job.file);
    job.target_dir = fs::absolute(job.target_dir);
    const InstallScheme& s = job.target.scheme;
    if (s.site.empty() || s.scripts.empty() || s.data.empty() || s.python.empty())
      throw Error(run.payload + ": pip job for " + job.target.platform + " has no install scheme");
    fs::create_directories(job.root);
    list.push_back(
        {{"n", i},
         {"cwd", job.file.parent_path().string()},
         {"args", pip_install_args(job, cache_dir)},
         {"root", fs::absolute(job.root).lexically_normal().string()},
         {"python_version", job.target.python_version},
         {"modules_file", (fs::absolute(job.root).parent_path() / kModulesFile).string()},
         {"spool_file", kSpoolFile},
         {"spool_list", kSpoolList},
         {"markers", job.target.markers},
         {"scheme",
          {{"site", s.site},
           {"scripts", s.scripts},
           {"data", s.data},
           {"include", s.include},
           {"python", s.python}}}});
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
    char implementation[32] = {0}, version[32] = {0};
    if (std::sscanf(line.c_str(), "@@lava-pip-host %31s %31s", implementation, version) == 2) {
      outcome.host_implementation = implementation;
      outcome.host_version = version;
      return;
    }
    size_t count = 0;
    if (std::sscanf(line.c_str(), "@@lava-pip-modules %d %zu", &n, &count) == 2 && n >= 0 &&
        n < static_cast<int>(jobs.size())) {
      outcome.modules[static_cast<size_t>(n)] = count;
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
    if (line.rfind("@@lava-pip-", 0) == 0) {  // for pip_failed, not for the log
      (current < 0 ? outputs.front() : outputs[current]) += line + "\n";
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
  if (r.exit_status == 0 && failed < 0) return outcome;
  if (failed < 0) failed = current >= 0 ? current : 0;
  pip_failed(jobs[failed], run, failed_status ? failed_status : r.exit_status, outputs[failed]);
}

namespace {

// "a/b/c" (leading "/" and empty parts ignored): "a", "a/b", "a/b/c".
std::vector<std::string> dir_prefixes(const std::string& dir) {
  std::vector<std::string> out;
  std::string prefix;
  const std::string rest = strip_root(dir);
  for (size_t start = 0; start < rest.size();) {
    size_t slash = std::min(rest.find('/', start), rest.size());
    if (slash > start) {
      prefix += (prefix.empty() ? "" : "/") + rest.substr(start, slash - start);
      out.push_back(prefix);
    }
    start = slash + 1;
  }
  return out;
}

oci::LayerEntry directory_like_base(const std::string& path, const BaseFacts& facts) {
  oci::LayerEntry d = oci::LayerEntry::directory(path);
  facts.keep_base_metadata(d);
  return d;
}

}  // namespace

void add_parent_dirs(std::vector<oci::LayerEntry>& entries, const std::string& dir,
                     const BaseFacts& facts) {
  for (const auto& prefix : dir_prefixes(dir)) {
    bool present = false;
    for (const auto& e : entries) present = present || e.path == prefix;
    if (!present) entries.push_back(directory_like_base(prefix, facts));
  }
}

std::vector<oci::LayerEntry> pip_layer_entries(const fs::path& staging, const BaseFacts& facts,
                                               const std::string& host_python) {
  if (!facts.python) throw Error("pip layer: the base image has no python3");
  const std::string scripts = strip_root(facts.python->scripts_dir);
  std::vector<std::string> host_pythons = {host_python};
  std::error_code ec;
  fs::path canonical = fs::canonical(host_python, ec);
  if (!ec) host_pythons.push_back(canonical.string());

  std::map<std::string, oci::LayerEntry> by_path;
  for (const char* part : {"deps", "nodeps"}) {
    fs::path root = staging / part / "root";
    if (!fs::is_directory(staging / part)) continue;
    std::vector<oci::LayerEntry> found;
    if (fs::is_directory(root)) add_tree(found, root, "");
    for (auto& e : found) {
      if (e.type == oci::LayerEntry::Type::kDirectory) {
        // A directory the base has keeps its owner and mode.
        facts.keep_base_metadata(e);
      } else if (e.type == oci::LayerEntry::Type::kFile && e.path.rfind(scripts + "/", 0) == 0) {
        // pip wrote the target's interpreter already; a "#!" naming the host's is a miss.
        e.content = fix_shebang(read_file(e.source), host_pythons, facts.python->executable);
        e.source.clear();
      }
      by_path[e.path] = std::move(e);
    }
    for (auto& e : spooled_entries(staging / part)) {
      // The directories above a spooled file, as pip's makedirs would have made them.
      const size_t slash = e.path.rfind('/');
      if (slash != std::string::npos)
        for (const auto& dir : dir_prefixes(e.path.substr(0, slash)))
          if (!by_path.count(dir)) by_path.emplace(dir, directory_like_base(dir, facts));
      e.mode = oci::normalised_mode(e.type, e.mode);
      by_path[e.path] = std::move(e);
    }
  }
  std::vector<oci::LayerEntry> entries;
  for (auto& [path, e] : by_path) entries.push_back(std::move(e));
  return entries;
}

}  // namespace lava::native
