// Installing a payload's requirements for a target platform with the build host's pip:
// pip resolves and downloads wheels for the target's tags (never building from source),
// installs them into a staging directory, and we turn that into the entries of a layer
// placed where the base image's python3 imports from.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "native/base_facts.h"
#include "native/pip_scheme.h"
#include "oci/layer_entry.h"

namespace lava::native {

struct PipTarget {
  std::string platform;        // "linux/arm64", for messages
  std::string python_version;  // "3.11"
  std::string abi;             // "cp311"
  std::vector<std::string> platform_tags;
  std::string libc;  // "glibc 2.36", for messages
  // Where the wheels' parts go in the image, and what environment markers evaluate against
  // (the target's interpreter and machine, never the build host's).
  InstallScheme scheme;
  std::map<std::string, std::string> markers;
};

// One `pip install` of a requirements file for a target into a directory of its own.
struct PipJob {
  PipTarget target;
  std::filesystem::path file;  // requirements file; pip runs in its directory
  bool no_deps = false;
  // pip's --target (it insists on one with --platform; it stays empty): <staging>/target
  std::filesystem::path target_dir;
  // What the job installs, laid out as in the image: <staging>/root/usr/local/lib/...
  std::filesystem::path root;
};

struct PipRun {
  std::string host_python = "/usr/bin/python3";  // runs pip
  std::filesystem::path cache_dir;               // pip's --cache-dir; empty: none
  std::string payload;                           // for messages
  // PIP_* values given for this build (e.g. PIP_INDEX_URL from --build-arg): set in pip's
  // own environment, over the process's, so no global state is touched.
  std::map<std::string, std::string> env;
  // pip's output, already redacted, with the job it belongs to.
  std::function<void(const PipJob& job, const std::string& line)> on_line;
  // Where pip's output was kept, for error messages ("" when nowhere).
  std::string log_file;
};

// What run_pip_jobs learnt besides the files.
struct PipOutcome {
  std::string host_implementation;  // "cpython": the interpreter that ran pip
  std::string host_version;         // "3.11.2"
  // Per job: how many modules pip would have byte-compiled (listed in the job's
  // modules.json, beside its root, for pyc_compile.h).
  std::vector<size_t> modules;
};

// Whether a PIP_* variable of ours reaches pip: the index URLs and how to connect to them.
// The rest (and pip's configuration files) stay out, as they stay out of a docker build.
bool pip_passes_through(const std::string& name);

// pip's arguments (after "pip") for one job.
std::vector<std::string> pip_install_args(const PipJob& job,
                                          const std::filesystem::path& cache_dir);

// The jobs for one target: requirements.txt into <staging>/deps/root, requirements-nodeps.txt
// (--no-deps) into <staging>/nodeps/root; empty paths are skipped.
std::vector<PipJob> pip_jobs_for(const PipTarget& target, const std::filesystem::path& requirements,
                                 const std::filesystem::path& requirements_nodeps,
                                 const std::filesystem::path& staging);

// Runs the jobs in order in one interpreter (pip's start-up is most of a small install),
// stopping at the first failure. pip runs with the target's marker environment and installs
// every part of a wheel (packages, scripts, data, headers, RECORD) where the target's pip
// would; no .pyc files: the modules pip would compile are listed for pyc_compile.h, which
// compiles them with an interpreter of the target's version. A requirement with no wheel for the
// target is an error naming it, the platform and the way out (--engine docker).
PipOutcome run_pip_jobs(const std::vector<PipJob>& jobs, const PipRun& run);

// The layer entries for what pip_jobs_for's jobs staged under <staging>/{deps,nodeps}/root:
// every file at its path in the image, scripts' "#!" lines pointing at the base's python3;
// parent directories keep the base's metadata (`facts.meta`). The nodeps install wins where
// both wrote a file, as two pip runs into one prefix would.
std::vector<oci::LayerEntry> pip_layer_entries(const std::filesystem::path& staging,
                                               const BaseFacts& facts,
                                               const std::string& host_python);

// Entries for every directory from the root down to `dir` (relative, no leading "/"), with
// the base's metadata where it has them, else 0755 root:root.
void add_parent_dirs(std::vector<oci::LayerEntry>& entries, const std::string& dir,
                     const BaseFacts& facts);

}  // namespace lava::native
