#include "native/pyc_step.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "native/base_facts_cache.h"
#include "native/base_rootfs.h"
#include "native/pyc_compile.h"
#include "native/sandbox.h"
#include "oci/verified_blob.h"
#include "project/platform.h"
#include "util/error.h"

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

// Choosing and running the interpreters for one build.
class PycStep {
 public:
  PycStep(BuildSession& s, const StagedLayout& layout, const PipOutcome& pip)
      : s_(s), layout_(layout), pip_(pip), mode_(pyc_compiler(s.options)) {}

  void run(const fs::path& work, const std::vector<StagedModules>& platforms) {
    if (mode_ == PycCompiler::kNone) {
      s_.say(s_.name() + ": no .pyc files (LAVA_PYC_COMPILER=none)");
      return;
    }
    struct Group {
      Interpreter interpreter;
      std::vector<std::string> jobs;
      std::vector<std::string> platforms;
      size_t modules = 0;
    };
    std::vector<Group> groups;
    for (const auto& p : platforms) {
      if (p.modules == 0) continue;
      Interpreter chosen = choose(p);
      auto g = groups.begin();
      while (g != groups.end() && g->interpreter.key != chosen.key) ++g;
      if (g == groups.end()) g = groups.insert(g, Group{chosen, {}, {}, 0});
      g->jobs.insert(g->jobs.end(), p.jobs.begin(), p.jobs.end());
      g->platforms.push_back(p.target->shown);
      g->modules += p.modules;
    }
    for (const auto& g : groups) {
      std::string platforms_shown;
      for (const auto& p : g.platforms)
        platforms_shown += (platforms_shown.empty() ? "" : ", ") + p;
      s_.say(platforms_shown + ": byte-compiling " + std::to_string(g.modules) + " modules with " +
             g.interpreter.what);
      PycCompileRun run;
      run.python = g.interpreter.python;
      run.sandbox = g.interpreter.sandbox;
      run.bwrap = bwrap_;
      run.work = work;
      run.jobs = g.jobs;
      run.workers = s_.options.threads ? s_.options.threads
                                       : std::max(1u, std::thread::hardware_concurrency());
      run.what = g.interpreter.what;
      PycCompileOutcome outcome;
      try {
        outcome = run_pyc_compile(run);
      } catch (const Error& e) {
        throw Error(s_.name() + ": " + platforms_shown + ": cannot byte-compile the installed " +
                    "modules: " + e.what() + alternatives(g.interpreter.version));
      }
      if (!g.interpreter.expect_version.empty() && outcome.version != g.interpreter.expect_version)
        throw Error(s_.name() + ": " + platforms_shown + ": " + g.interpreter.what +
                    " says it is Python " + outcome.version + ", not " +
                    g.interpreter.expect_version + " as its files tell" +
                    alternatives(g.interpreter.version));
      if (outcome.too_old) {
        s_.notice(s_.name() + ": " + platforms_shown + ": no .pyc files in the image: the base " +
                  "image's Python " + outcome.version +
                  " predates hash-based .pyc files (3.7), and timestamped ones would differ "
                  "from build to build");
        continue;
      }
      s_.say(platforms_shown + ": " + std::to_string(outcome.compiled) + " .pyc files written");
    }
  }

 private:
  // The interpreter of `p`'s exact version, in the order pyc_step.h gives.
  Interpreter choose(const StagedModules& p) {
    const PythonLayout& py = *p.facts->python;
    const std::string& want = py.full_version;
    if (mode_ == PycCompiler::kAuto && pip_.host_implementation == "cpython" && !want.empty() &&
        pip_.host_version == want)
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
        throw Error(s_.name() + ": " + p.target->shown + ": cannot byte-compile the installed " +
                    "modules: " + why +
                    ", and running the base image's own python3 needs bubblewrap (no bwrap on "
                    "PATH: install Debian's bubblewrap package)" +
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
      throw Error(s_.name() + ": " + p.target->shown + ": cannot byte-compile the installed " +
                  "modules: " + why + "; " + no_variant + ", and running its " + p.target->shown +
                  " python3 needs " + qemu_name + " (Debian's qemu-user-static package)" +
                  alternatives(version));
    fs::path root = rootfs(p.target->base, staged, where);
    s_.notice(s_.name() + ": " + p.target->shown + ": modules byte-compiled by the base " +
              "image's own " + p.target->shown + " python3 under QEMU (" + no_variant +
              "): slow, but once: the requirements layer is cached with its .pyc files");
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
    std::string host = "the build host's " + s_.python + " is " +
                       (pip_.host_implementation == "cpython" ? std::string("CPython")
                                                              : pip_.host_implementation) +
                       " " + pip_.host_version;
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
  const PipOutcome& pip_;
  PycCompiler mode_;
  fs::path bwrap_;
  std::set<std::string> verified_;
};

}  // namespace

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

void compile_staged_modules(BuildSession& s, const StagedLayout& layout, const fs::path& work,
                            const std::vector<StagedModules>& platforms, const PipOutcome& pip) {
  PycStep(s, layout, pip).run(work, platforms);
}

}  // namespace lava::native
