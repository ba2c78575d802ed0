#include "native/pyc_compile.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "native/command.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// Run by the compiling interpreter (the target's version: the host's, or the base's own in
// the sandbox) as `python -I -S -X utf8 -c SCRIPT WORK SPEC`. SPEC lists job directories
// (each with root/ and modules.json from pip's driver) and how many processes to use.
// Every module is compiled once per (path in the image, source bytes): platforms share
// pure-Python modules. A .pyc gets its source's mode as py_compile gives it. Then each
// distribution whose RECORD lists a compiled module gets a "path,," row for its .pyc and the
// rows sorted, written as pip writes RECORD (csv, CRLF, UTF-8). Its first line says which
// interpreter this is, before anything that needs Python 3.7.
constexpr const char* kScript = R"py(
import os, sys
impl = sys.implementation
print("@@lava-pyc-python %s %d.%d.%d" % ((impl.name,) + tuple(sys.version_info[:3])), flush=True)
if sys.version_info < (3, 7) or not impl.cache_tag:
    sys.exit(0)
import csv, hashlib, importlib.util, json, py_compile, signal, warnings
warnings.filterwarnings("ignore")
os.umask(0o022)
work = sys.argv[1]
with open(os.path.join(work, sys.argv[2])) as f:
    spec = json.load(f)

tasks, order, jobs, listed = {}, [], [], 0
for job in spec["jobs"]:
    jdir = os.path.join(work, job)
    with open(os.path.join(jdir, "modules.json")) as f:
        wanted = json.load(f)
    root = os.path.join(jdir, "root")
    for dfile in wanted["modules"]:
        listed += 1
        full = root + dfile
        try:
            with open(full, "rb") as f:
                key = (dfile, hashlib.sha256(f.read()).digest())
        except OSError:
            continue
        if key not in tasks:
            tasks[key] = []
            order.append(key)
        tasks[key].append(full)
    jobs.append(root + wanted["site"])

def compile_module(full, dfile):  # pip's compileall.compile_file, hash-based
    try:
        py_compile.compile(full, cfile=importlib.util.cache_from_source(full), dfile=dfile,
                           doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return True
    except Exception:
        return False

def compile_share(w, n):
    return [i for i in range(w, len(order), n) if compile_module(tasks[order[i]][0], order[i][0])]

workers = max(1, min(int(spec["workers"]), len(order)))
done = set()
if workers == 1:
    done.update(compile_share(0, 1))
else:
    children = []
    def stop(signum, frame):
        for pid, _ in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    for w in range(workers):
        r, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.close(r)
                data = " ".join(str(i) for i in compile_share(w, workers)).encode()
                while data:
                    data = data[os.write(wfd, data):]
                status = 0
            finally:
                os._exit(status)
        os.close(wfd)
        children.append((pid, r))
    for pid, r in children:
        chunks = []
        while True:
            b = os.read(r, 65536)
            if not b:
                break
            chunks.append(b)
        os.close(r)
        if os.waitpid(pid, 0)[1] != 0:
            print("\n@@lava-pyc-failed a compiling process failed", flush=True)
            sys.exit(1)
        done.update(int(i) for i in b"".join(chunks).split())

def copy_pyc(src, full):
    with open(importlib.util.cache_from_source(src), "rb") as f:
        data = f.read()
    cfile = importlib.util.cache_from_source(full)
    try:
        mode = os.stat(full).st_mode
    except OSError:
        mode = 0o666
    os.makedirs(os.path.dirname(cfile), exist_ok=True)
    if os.path.lexists(cfile):
        os.unlink(cfile)
    with open(os.open(cfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, (mode | 0o200) & 0o666),
              "wb") as f:
        f.write(data)

compiled = set()
for i in sorted(done):
    first = tasks[order[i]][0]
    for full in tasks[order[i]]:
        if full != first:
            copy_pyc(first, full)
        compiled.add(os.path.normpath(full))

def add_to_record(lib_dir):
    try:
        names = sorted(os.listdir(lib_dir))
    except OSError:
        return
    for name in names:
        record = os.path.join(lib_dir, name, "RECORD")
        if not name.endswith(".dist-info") or not os.path.isfile(record):
            continue
        with open(record, encoding="utf-8", newline="") as f:
            rows = [tuple(r) for r in csv.reader(f)]
        sources = {os.path.normpath(os.path.join(lib_dir, r[0])) for r in rows if r}
        added = [(os.path.relpath(importlib.util.cache_from_source(full), lib_dir)
                  .replace(os.sep, "/"), "", "") for full in sorted(sources & compiled)]
        if not added:
            continue
        with open(record + ".lava-tmp", "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(sorted(rows + added))
        os.replace(record + ".lava-tmp", record)

for lib_dir in sorted(set(jobs)):
    add_to_record(lib_dir)
print("\n@@lava-pyc-done %d %d" % (listed, len(compiled)), flush=True)
)py";

}  // namespace

PycCompileOutcome run_pyc_compile(const PycCompileRun& run) {
  static int runs = 0;
  const std::string spec_name = "pyc-" + std::to_string(++runs) + ".json";
  nlohmann::json spec = {{"jobs", run.jobs}, {"workers", std::max(1u, run.workers)}};
  write_private_file(run.work / spec_name, spec.dump(),
                     fs::perms::owner_read | fs::perms::owner_write);

  Command cmd;
  const std::string work = run.sandbox ? std::string(kSandboxWork) : run.work.string();
  std::vector<std::string> argv = {run.python, "-I",    "-S", "-X",     "utf8",
                                   "-c",       kScript, work, spec_name};
  if (run.sandbox) {
    Sandbox sandbox = *run.sandbox;
    sandbox.work = run.work;
    cmd.argv = sandbox_argv(run.bwrap, sandbox, argv);
  } else {
    cmd.argv = argv;
    for (const char* name : {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONWARNINGS"})
      cmd.env[name] = std::nullopt;
  }
  PycCompileOutcome outcome;
  bool said = false, finished = false;
  std::string failure, last;
  cmd.on_line = [&](const std::string& line) {
    char impl[32] = {0}, version[32] = {0};
    size_t listed = 0, compiled = 0;
    if (std::sscanf(line.c_str(), "@@lava-pyc-python %31s %31s", impl, version) == 2) {
      outcome.implementation = impl;
      outcome.version = version;
      said = true;
    } else if (std::sscanf(line.c_str(), "@@lava-pyc-done %zu %zu", &listed, &compiled) == 2) {
      outcome.modules = listed;
      outcome.compiled = compiled;
      finished = true;
    } else if (line.rfind("@@lava-pyc-failed ", 0) == 0) {
      failure = line.substr(18);
    } else if (!line.empty()) {
      last = line;
    }
  };
  CommandResult r = run_command(cmd);
  if (r.exit_status == 0 && said && !finished) {
    outcome.too_old = true;
    return outcome;
  }
  if (r.exit_status != 0 || !finished) {
    std::string why = !failure.empty() ? failure : last;
    if (!said && run.sandbox)
      throw Error(run.what + " could not start in a bubblewrap sandbox (exit " +
                  std::to_string(r.exit_status) + (why.empty() ? "" : ": " + redact(why)) + ")");
    throw Error(run.what + " failed compiling modules (exit " + std::to_string(r.exit_status) +
                (why.empty() ? "" : ": " + redact(why)) + ")");
  }
  return outcome;
}

}  // namespace lava::native
