#include "native/pyc_compile.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "native/command.h"
#include "native/spooled_files.h"
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
import csv, hashlib, importlib.util, json, marshal, signal, time, warnings
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

def read_source(where):  # ["file", path] or ["spool", path, offset, length]
    if where[0] == "file":
        with open(where[1], "rb") as f:
            return f.read()
    fd = spool_fds.get(where[1])
    if fd is None:
        fd = spool_fds[where[1]] = os.open(where[1], os.O_RDONLY)
    data, offset, left = [], where[2], where[3]
    while left > 0:
        b = os.pread(fd, left, offset)
        if not b:
            raise OSError("%s ends early" % where[1])
        data.append(b)
        offset += len(b)
        left -= len(b)
    return b"".join(data)
spool_fds = {}

def pyc_bytes(source, dfile):  # what py_compile writes, hash-based and unchecked
    code = compile(source, dfile, "exec", dont_inherit=True)
    return (importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") +
            importlib.util.source_hash(source) + marshal.dumps(code))

outputs = {}  # job directory -> the spool this process writes its .pyc files to
def compile_into_spool(i, where, dfile, jdir, name):
    # [i, spool relative to work, offset, length], or None when the module does not compile
    try:
        data = pyc_bytes(read_source(where), dfile)
    except Exception:
        return None
    f = outputs.get(jdir)
    if f is None:
        f = outputs[jdir] = open(os.path.join(work, jdir, name), "wb")
    offset = f.tell()
    f.write(data)
    return [i, jdir + "/" + name, offset, len(data)]

def finish_outputs():
    for f in outputs.values():
        f.close()

def start_worker(k):
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
                    i, where, dfile, jdir = json.loads(line)
                    out = compile_into_spool(i, where, dfile, jdir, "pyc-%d.bin" % k)
                    if out:
                        done.append(out)
            finish_outputs()
            data = json.dumps(done).encode()
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
    for k in range(workers):
        start_worker(k)
tasks, order, libs, done, listed = {}, [], [], {}, 0
for job in spec["jobs"]:
    jdir = os.path.join(work, job)
    root = os.path.join(jdir, "root")
    for value in follow(os.path.join(jdir, spec["modules_file"])):
        if isinstance(value, dict):
            libs.append(root + value["site"])
            continue
        listed += 1
        if isinstance(value, list):  # [path, spool, offset, length, mode]: in pip's spool
            path, mode = value[0], value[4]
            where = ["spool", os.path.normpath(os.path.join(jdir, value[1])), value[2], value[3]]
        else:  # a file pip wrote
            path = value
            where = ["file", root + path]
            try:
                mode = os.stat(where[1]).st_mode
            except OSError:
                continue
        try:
            key = (path, hashlib.sha256(read_source(where)).digest())
        except OSError:
            continue
        target = (job, root + path, path, mode)
        if key in tasks:
            tasks[key].append(target)
            continue
        tasks[key] = [target]
        order.append(key)
        i = len(order) - 1
        if not children:
            out = compile_into_spool(i, where, path, job, "pyc.bin")
            if out:
                done[i] = out
        else:
            t = children[i % len(children)][1]
            t.write((json.dumps([i, where, path, job]) + "\n").encode())
            t.flush()
lists_ended = time.monotonic()  # pip is done: what follows is the wait it adds
finish_outputs()
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
    for out in json.loads(b"".join(chunks).decode() or "[]"):
        done[out[0]] = out

# Each job's list of its .pyc files (spooled_files.h), with the mode py_compile gives a
# .pyc: its source's, writable by the owner, never executable, under umask 022.
compiled = set()
lists = {}
for i in sorted(done):
    _, spool, offset, length = done[i]
    for job, full, path, mode in tasks[order[i]]:
        f = lists.get(job)
        if f is None:
            f = lists[job] = open(os.path.join(work, job, spec["pyc_list"]), "w")
        rel = os.path.relpath(os.path.join(work, spool), os.path.join(work, job))
        f.write(json.dumps([importlib.util.cache_from_source(path), rel, offset, length,
                            (mode | 0o200) & 0o644]) + "\n")
        compiled.add(os.path.normpath(full))
for f in lists.values():
    f.close()

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
                         {"pyc_list", kPycList},
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
