// Byte-compiling what pip installed, after pip, with an interpreter of the target's exact
// version: pip's driver (pip_install.h) lists the modules pip would compile, job by job, and
// this step writes their .pyc files (into spools, listed in each job's kPycList:
// spooled_files.h) and adds them to each distribution's RECORD as the target's pip would:
// the set pip compiles, `__pycache__/<module>.<tag>.pyc` beside each,
// RECORD rows "path,," kept sorted. The .pyc files are hash-based (unchecked: no timestamp)
// and name the module's path in the image, so they are the same bytes on every host
// whichever interpreter of that version writes them. Modules that do not compile get no
// .pyc, as with pip.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "native/sandbox.h"

namespace lava::native {

// What pip's driver writes in each job's directory as pip installs: JSON lines, first
// {"site": "<site dir in the image>"}, then each module: its path in the image (a file under
// the job's root/) or, for a module in pip's spool, [path, spool, offset, length, mode]; then
// null.
// The compiling follows it as it grows, so it runs beside pip.
inline constexpr const char* kModulesFile = "modules.jsonl";
// Made in the work directory when pip failed: the compiling stops waiting and exits.
inline constexpr const char* kAbortFile = "abort";

struct PycCompileRun {
  // The interpreter: a host path, or a path inside sandbox->root.
  std::string python;
  // Run inside this sandbox (its `work` is `work` below), else directly on the host.
  std::optional<Sandbox> sandbox;
  std::filesystem::path bwrap;  // with a sandbox
  // The directory holding every job directory (each with root/ and kModulesFile).
  std::filesystem::path work;
  std::vector<std::string> jobs;  // relative to `work`
  unsigned workers = 1;           // compiling processes
  std::string what;               // "the base image's python3 (linux/amd64)", for errors
};

struct PycCompileOutcome {
  std::string implementation;  // "cpython", as the interpreter says
  std::string version;         // "3.11.2"
  bool too_old = false;        // before 3.7: no hash-based .pyc; nothing was written
  size_t modules = 0;          // listed by pip
  size_t compiled = 0;         // .pyc files written
  double after_lists = 0;      // seconds it took after the last list ended (after pip)
};

// Compiles the jobs' modules, job after job, each as its list grows, then updates their
// RECORD files once every list has ended. Throws lava::Error naming `run.what` when the
// interpreter cannot run or fails, or when kAbortFile appeared.
PycCompileOutcome run_pyc_compile(const PycCompileRun& run);

}  // namespace lava::native
