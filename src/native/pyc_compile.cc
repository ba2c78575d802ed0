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
// (each with root/ and pip's growing kModulesFile) and how many processes to use. The lists
// are followed as pip's driver writes them, so compiling runs beside pip; kAbortFile in WORK
// ends the waiting. Every module is compiled once per (path in the image, source bytes):
// platforms share pure-Python modules. A .pyc gets its source's mode as py_compile gives it.
// Then each distribution whose RECORD lists a compiled module gets a "path,," row for its
// .pyc and the rows sorted, written as pip writes RECORD (csv, CRLF, UTF-8). Its first line
// says which interpreter this is, before anything that needs Python 3.7.
constexpr const char* kScript = R"py(
import os, sys
impl = sys.implementation
print("@@lava-pyc-python %s %d.%d.%d" % ((impl.name,) + tuple(sys.version_info[:3])), flush=True)
if sys.version_info < (3, 7) or not impl.cache_tag:
    sys.exit(0)
import csv, hashlib, importlib.util, json, py_compile, signal, time, warnings
warnings.filterwarnings("ignore")
os.umask(0o022)
work = sys.argv[1]
with open(os.path.join(work, sys.argv[2])) as f:
    spec = json.load(f)
children = []  # (pid, task pipe, result pipe) of each compiling process

def stop(status, why):
    for pid, _, _ in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    print("\n@@lava-pyc-failed %s" % why, flush=True)
    os._exit(status)
signal.signal(signal.SIGTERM, lambda signum, frame: stop(128 + signum, "stopped"))

def follow(path):  # the values of a JSON-lines list still being written, up to its null
    pending = b""
    f = None
    while True:
        if f is None and os.path.exists(path):
            f = open(path, "rb")
        line = f.readline() if f else b""
        if not line:
            if os.path.exists(os.path.join(work, spec["abort_file"])):
                stop(3, "stopped: pip failed")
            time.sleep(0.02)
            continue
        pending += line
        if pending.endswith(b"\n"):
            value = json.loads(pending.decode("utf-8"))
            pending = b""
            if value is None:
                f.close()
                return
            yield value

def compile_module(full, dfile):  # pip's compileall.compile_file, hash-based
    try:
        py_compile.compile(full, cfile=importlib.util.cache_from_source(full), dfile=dfile,
                           doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return True
    except Exception:
        return False

def start_worker():
    tasks_r, tasks_w = os.pipe()
    results_r, results_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.close(tasks_w)
            os.close(results_r)
            for _, t, r in children:  # the others' pipes: their ends must close with ours
                os.close(t.fileno())
                os.close(r)
            done = []
            with os.fdopen(tasks_r, "rb") as tasks:
                for line in tasks:
                    i, full, dfile = json.loads(line)
                    if compile_module(full, dfile):
                        done.append(str(i))
            data = " ".join(done).encode()
            while data:
                data = data[os.write(results_w, data):]
            status = 0
        finally:
            os._exit(status)
    os.close(tasks_r)
    os.close(results_w)
    children.append((pid, os.fdopen(tasks_w, "wb"), results_r))

workers = max(1, int(spec["workers"]))
if workers > 1:
    for _ in range(workers):
        start_worker()
tasks, order, libs, done, listed = {}, [], [], set(), 0
for job in spec["jobs"]:
    jdir = os.path.join(work, job)
    root = os.path.join(jdir, "root")
    for value in follow(os.path.join(jdir, spec["modules_file"])):
        if isinstance(value, dict):
            libs.append(root + value["site"])
            continue
        listed += 1
        full = root + value
        try:
            with open(full, "rb") as f:
                key = (value, hashlib.sha256(f.read()).digest())
        except OSError:
            continue
        if key in tasks:
            tasks[key].append(full)
            continue
        tasks[key] = [full]
        order.append(key)
        i = len(order) - 1
        if not children:
            if compile_module(full, value):
                done.add(i)
        else:
            t = children[i % len(children)][1]
            t.write((json.dumps([i, full, value]) + "\n").encode())
            t.flush()
lists_ended = time.monotonic()  # pip is done: what follows is the wait it adds
for _, t, _ in children:
    t.close()
for pid, _, r in children:
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    if os.waitpid(pid, 0)[1] != 0:
        stop(1, "a compiling process failed")
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

for lib_dir in sorted(set(libs)):
    add_to_record(lib_dir)
print("\n@@lava-pyc-done %d %d %.3f" % (listed, len(compiled), time.monotonic() - lists_ended),
      flush=True)
)py";

}  // namespace

PycCompileOutcome run_pyc_compile(const PycCompileRun& run) {
  static int runs = 0;
  const std::string spec_name = "pyc-" + std::to_string(++runs) + ".json";
  nlohmann::json spec = {{"jobs", run.jobs},
                         {"workers", std::max(1u, run.workers)},
                         {"modules_file", kModulesFile},
                         {"abort_file", kAbortFile}};
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
    double after = 0;
    if (std::sscanf(line.c_str(), "@@lava-pyc-python %31s %31s", impl, version) == 2) {
      outcome.implementation = impl;
      outcome.version = version;
      said = true;
    } else if (std::sscanf(line.c_str(), "@@lava-pyc-done %zu %zu %lf", &listed, &compiled,
                           &after) == 3) {
      outcome.modules = listed;
      outcome.compiled = compiled;
      outcome.after_lists = after;
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
