#include "native/pyc_step.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "native/base_facts_cache.h"
#include "native/base_rootfs.h"
#include "native/command.h"
#include "native/pyc_compile.h"
#include "native/sandbox.h"
#include "oci/verified_blob.h"
#include "project/platform.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// Who compiles a platform's modules, and how it runs.
struct Interpreter {
  std::string key;  // platforms with the same key share one run
  std::string python;
  std::optional<Sandbox> sandbox;
  std::string expect_version;  // what it must say it is ("" for the target's own)
  std::string what;            // "the base image's own /usr/bin/python3 (linux/amd64)"
  std::string version;         // the target's Python, for the way out in errors
};

std::string mode_name(const PycCompiler mode) {
  switch (mode) {
    case PycCompiler::kSandbox:
      return "sandbox";
    case PycCompiler::kTarget:
      return "target";
    case PycCompiler::kNone:
      return "none";
    default:
      return "auto";
  }
}

// The host interpreter that runs pip, as it says it is: ("cpython", "3.11.2"), or empty
// strings when it does not run (pip will say why).
std::pair<std::string, std::string> host_interpreter(const std::string& python) {
  Command cmd;
  cmd.argv = {python, "-I", "-S", "-c",
              "import sys; print(sys.implementation.name, '%d.%d.%d' % sys.version_info[:3])"};
  std::string said;
  cmd.on_line = [&](const std::string& line) {
    if (!line.empty()) said = line;
  };
  try {
    if (run_command(cmd).exit_status != 0) return {};
  } catch (const Error&) {
    return {};
  }
  auto space = said.find(' ');
  if (space == std::string::npos) return {};
  return {said.substr(0, space), said.substr(space + 1)};
}

}  // namespace

// Choosing the interpreters, running them beside pip, checking what they did.
struct PycCompiling::Impl {
  // One interpreter's process and the platforms it compiles for.
  struct Group {
    Interpreter interpreter;
    std::vector<const StagedModules*> platforms;
    std::string shown;        // "linux/amd64, linux/arm64"
    std::string cannot_run;   // why it cannot start (no bwrap, no QEMU): an error if needed
    std::string qemu_notice;  // said once it has compiled something
    std::thread thread;
    PycCompileOutcome outcome;
    std::exception_ptr failure;
  };

  Impl(BuildSession& s, const StagedLayout& layout, fs::path work,
       std::vector<StagedModules> platforms)
      : s_(s),
        layout_(layout),
        work_(std::move(work)),
        platforms_(std::move(platforms)),
        mode_(pyc_compiler(s.options)) {}

  ~Impl() {
    bool running = false;
    for (auto& g : groups_) running = running || g.thread.joinable();
    if (!running) return;
    write_private_file(work_ / kAbortFile, "pip failed\n",
                       fs::perms::owner_read | fs::perms::owner_write);
    for (auto& g : groups_)
      if (g.thread.joinable()) g.thread.join();
  }

  void start() {
    if (mode_ == PycCompiler::kNone || platforms_.empty()) return;
    if (mode_ == PycCompiler::kAuto) host_ = host_interpreter(s_.python);
    for (const auto& p : platforms_) {
      Group chosen;
      try {
        chosen.interpreter = choose(p);
      } catch (const CannotRun& e) {
        chosen.interpreter.key = "cannot run " + p.target->shown;
        chosen.cannot_run = e.what();
      }
      auto g = groups_.begin();
      while (g != groups_.end() && g->interpreter.key != chosen.interpreter.key) ++g;
      if (g == groups_.end()) {
        groups_.push_back(std::move(chosen));
        g = groups_.end() - 1;
      }
      g->platforms.push_back(&p);
      g->shown += (g->shown.empty() ? "" : ", ") + p.target->shown;
      if (!pending_notice_.empty()) g->qemu_notice = std::exchange(pending_notice_, "");
    }
    const unsigned workers =
        s_.options.threads ? s_.options.threads : std::max(1u, std::thread::hardware_concurrency());
    for (auto& g : groups_) {
      if (!g.cannot_run.empty()) continue;
      s_.say(g.shown + ": byte-compiling what pip installs with " + g.interpreter.what);
      PycCompileRun run;
      run.python = g.interpreter.python;
      run.sandbox = g.interpreter.sandbox;
      run.bwrap = bwrap_;
      run.work = work_;
      for (const auto* p : g.platforms)
        run.jobs.insert(run.jobs.end(), p->jobs.begin(), p->jobs.end());
      run.workers = workers;
      run.what = g.interpreter.what;
      g.thread = std::thread([&g, run] {
        try {
          g.outcome = run_pyc_compile(run);
        } catch (...) {
          g.failure = std::current_exception();
        }
      });
    }
  }

  void finish(const PipOutcome& pip) {
    if (mode_ == PycCompiler::kNone) {
      s_.say(s_.name() + ": no .pyc files (LAVA_PYC_COMPILER=none)");
      return;
    }
    for (auto& g : groups_)
      if (g.thread.joinable()) g.thread.join();
    for (auto& g : groups_) {
      size_t listed = 0;
      for (const auto* p : g.platforms)
        for (size_t k = 0; k < p->jobs.size(); ++k) listed += pip.modules.at(p->first_job + k);
      if (listed == 0) continue;  // nothing to compile: whatever could not run did not matter
      const std::string where = s_.name() + ": " + g.shown + ": ";
      if (!g.cannot_run.empty()) throw Error(where + g.cannot_run);
      if (g.failure) {
        try {
          std::rethrow_exception(g.failure);
        } catch (const Error& e) {
          throw Error(where + "cannot byte-compile the installed modules: " + e.what() +
                      alternatives(g.interpreter.version));
        }
      }
      if (!g.interpreter.expect_version.empty() &&
          g.outcome.version != g.interpreter.expect_version)
        throw Error(where + g.interpreter.what + " says it is Python " + g.outcome.version +
                    ", not " + g.interpreter.expect_version + " as its files tell" +
                    alternatives(g.interpreter.version));
      if (g.outcome.too_old) {
        s_.notice(where + "no .pyc files in the image: the base image's Python " +
                  g.outcome.version +
                  " predates hash-based .pyc files (3.7), and timestamped ones would differ "
                  "from build to build");
        continue;
      }
      if (!g.qemu_notice.empty()) s_.notice(g.qemu_notice);
      char after[32];
      std::snprintf(after, sizeof after, "%.1f", g.outcome.after_lists);
      s_.say(g.shown + ": " + std::to_string(g.outcome.compiled) + " .pyc files written (" + after +
             " s after pip)");
    }
  }

 private:
  // What keeps an interpreter from running; reported only when it had modules to compile.
  struct CannotRun : Error {
    using Error::Error;
  };

  // The interpreter of `p`'s exact version, in the order pyc_step.h gives.
  Interpreter choose(const StagedModules& p) {
    const PythonLayout& py = *p.facts->python;
    const std::string& want = py.full_version;
    if (mode_ == PycCompiler::kAuto && host_.first == "cpython" && !want.empty() &&
        host_.second == want)
      return {"host",
              s_.python,
              std::nullopt,
              want,
              "the build host's " + s_.python + " (CPython " + want + ")",
              want};

    const std::string why = why_not_host(py);
    const std::string version = want.empty() ? py.version : want;
    if (bwrap_.empty()) {
      auto found = find_program("bwrap");
      if (!found)
        throw CannotRun("cannot byte-compile the installed modules: " + why +
                        ", and running the base image's own python3 needs bubblewrap (no bwrap "
                        "on PATH: install Debian's bubblewrap package)" +
                        alternatives(version));
      bwrap_ = *found;
    }
    const std::string host_arch = project::host_platform().architecture;
    const std::string where = "base image " + s_.base->name() + " (" + p.target->shown + ")";
    auto staged = [this](const oci::Descriptor& d) { return layout_.blob_path(d.digest); };
    if (p.target->wanted.architecture == host_arch) {
      fs::path root = rootfs(p.target->base, staged, where);
      return {root.string() + " " + py.executable,
              py.executable,
              Sandbox{root, {}, {}},
              "",
              "the base image's own " + py.executable + " (" + p.target->shown + ") in a sandbox",
              version};
    }
    if (mode_ != PycCompiler::kTarget && !want.empty())
      if (auto v = host_variant(py, host_arch)) return *v;

    const std::string qemu_name = qemu_static_name(p.target->wanted.architecture);
    auto qemu = find_program(qemu_name);
    const std::string no_variant =
        mode_ == PycCompiler::kTarget
            ? std::string("LAVA_PYC_COMPILER=target asks for the target's own python3")
        : want.empty()
            ? "the base image does not say its exact Python version, so no other "
              "interpreter can be checked against it"
            : "the base image has no linux/" + host_arch + " variant whose python3 is " + want;
    if (!qemu)
      throw CannotRun("cannot byte-compile the installed modules: " + why + "; " + no_variant +
                      ", and running its " + p.target->shown + " python3 needs " + qemu_name +
                      " (Debian's qemu-user-static package)" + alternatives(version));
    fs::path root = rootfs(p.target->base, staged, where);
    pending_notice_ = s_.name() + ": " + p.target->shown + ": modules byte-compiled by the " +
                      "base image's own " + p.target->shown + " python3 under QEMU (" + no_variant +
                      "): slow, but once: the requirements layer is cached with its .pyc files";
    return {root.string() + " " + py.executable + " qemu",
            py.executable,
            Sandbox{root, {}, *qemu},
            "",
            "the base image's own " + py.executable + " (" + p.target->shown +
                ") under QEMU in a sandbox",
            version};
  }

  // The base's variant for the host's CPU, when its python3 has exactly `py`'s version.
  std::optional<Interpreter> host_variant(const PythonLayout& py, const std::string& host_arch) {
    oci::Platform host;
    host.os = "linux";
    host.architecture = host_arch;
    BaseManifest variant;
    try {
      variant = s_.base->manifest_for(host);
    } catch (const Error&) {
      return std::nullopt;  // no such variant (or none readable): the target's own, emulated
    }
    const std::string shown = "linux/" + host_arch;
    auto verified = [this](const oci::Descriptor& d) { return verified_layer(d); };
    BaseFacts facts = cached_base_facts(
        *s_.base, variant, s_.cache, shown, [this](const std::string& l) { s_.say(l); }, verified);
    if (!facts.python || facts.python->version != py.version ||
        facts.python->full_version != py.full_version)
      return std::nullopt;
    fs::path root = rootfs(variant, verified, "base image " + s_.base->name() + " (" + shown + ")");
    return Interpreter{root.string() + " " + facts.python->executable,
                       facts.python->executable,
                       Sandbox{root, {}, {}},
                       py.full_version,
                       "the base image's " + shown + " " + facts.python->executable +
                           " (the same Python " + py.full_version + ") in a sandbox",
                       py.full_version};
  }

  fs::path rootfs(const BaseManifest& bm,
                  const std::function<fs::path(const oci::Descriptor&)>& layer_file,
                  const std::string& where) {
    return unpacked_rootfs(
        s_.cache, bm.manifest.layers, layer_file, [this](const std::string& l) { s_.say(l); },
        where);
  }

  // A layer of a manifest this build does not stage, checked against its digest once; a
  // damaged cached copy is dropped and fetched again.
  fs::path verified_layer(const oci::Descriptor& d) {
    fs::path file = s_.base->blob_file(d);
    if (verified_.count(d.digest.str())) return file;
    try {
      oci::verify_blob_file(file, d.digest, d.size);
    } catch (const oci::BlobDigestMismatch& e) {
      if (!s_.base->discard_blob(d))
        throw Error("base image " + s_.base->name() + ": " + e.what() +
                    "; the layout is damaged or was altered");
      s_.notice(s_.name() + ": cached base layer " + d.digest.str() + " was damaged (" + e.what() +
                "): dropped and fetched again");
      file = s_.base->blob_file(d);
      oci::verify_blob_file(file, d.digest, d.size);
    }
    verified_.insert(d.digest.str());
    return file;
  }

  std::string why_not_host(const PythonLayout& py) const {
    if (mode_ != PycCompiler::kAuto)
      return "LAVA_PYC_COMPILER=" + mode_name(mode_) + " leaves out the build host's interpreter";
    if (host_.first.empty()) return "the build host's " + s_.python + " does not run";
    std::string host = "the build host's " + s_.python + " is " +
                       (host_.first == "cpython" ? std::string("CPython") : host_.first) + " " +
                       host_.second;
    if (py.full_version.empty())
      return host + " and the base image does not say which Python " + py.version + " it has";
    return host + ", the base image's python3 is " + py.full_version;
  }

  static std::string alternatives(const std::string& version) {
    return version.empty()
               ? std::string("; or set LAVA_PYC_COMPILER=none to build without .pyc files")
               : "; or set LAVA_PYTHON to a CPython " + version +
                     " with pip, or LAVA_PYC_COMPILER=none to build without .pyc "
                     "files";
  }

  BuildSession& s_;
  const StagedLayout& layout_;
  fs::path work_;
  std::vector<StagedModules> platforms_;
  PycCompiler mode_;
  std::pair<std::string, std::string> host_;  // the host interpreter: ("cpython", "3.11.2")
  fs::path bwrap_;
  std::set<std::string> verified_;
  std::string pending_notice_;  // the QEMU notice of the platform just chosen
  std::vector<Group> groups_;
};

PycCompiler pyc_compiler(const NativeOptions& options) {
  std::string v = options.pyc_compiler;
  if (v.empty()) {
    const char* env = std::getenv("LAVA_PYC_COMPILER");
    v = env ? env : "";
  }
  if (v.empty() || v == "auto") return PycCompiler::kAuto;
  if (v == "sandbox") return PycCompiler::kSandbox;
  if (v == "target") return PycCompiler::kTarget;
  if (v == "none") return PycCompiler::kNone;
  throw Error("LAVA_PYC_COMPILER: '" + v + "' is not one of auto, sandbox, target, none");
}

std::string bytecode_recipe(const NativeOptions& options) {
  return pyc_compiler(options) == PycCompiler::kNone ? "none" : "hash-unchecked/target-exact-v1";
}

PycCompiling::PycCompiling(BuildSession& s, const StagedLayout& layout, fs::path work,
                           std::vector<StagedModules> platforms)
    : impl_(std::make_unique<Impl>(s, layout, std::move(work), std::move(platforms))) {}

PycCompiling::~PycCompiling() = default;

void PycCompiling::start() {
  impl_->start();
}

void PycCompiling::finish(const PipOutcome& pip) {
  impl_->finish(pip);
}

}  // namespace lava::native
