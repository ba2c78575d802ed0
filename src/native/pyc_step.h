// The byte-compiling step of a native build, run beside pip: the modules pip installs for
// each platform are compiled (pyc_compile.h) as pip lists them, by an interpreter of that
// platform's exact Python version, the first of:
//   1. the build host's interpreter that runs pip, when it is CPython of exactly the version
//      the base image's files give (an unknown micro version never matches);
//   2. the base image's own python3 in a sandbox over its unpacked root file system
//      (sandbox.h, base_rootfs.h): the target's own when it runs on the host's CPU, else the
//      base's variant for the host's architecture when its python3 is the very same version
//      (bytecode does not depend on the CPU);
//   3. the target's own python3 under QEMU in that sandbox, with one notice (slow; the
//      requirements layer is cached, so it happens once).
// NativeOptions::pyc_compiler (else $LAVA_PYC_COMPILER) narrows the choice: "sandbox" skips
// 1, "target" skips 1 and the variant, "none" writes no .pyc files; "auto" or empty is the
// order above. The result is the same bytes whichever interpreter writes them, so the
// requirements layer's recipe names only whether there are .pyc files. What cannot run (no
// bwrap, no QEMU) is an error only once pip has listed modules for it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "native/base_facts.h"
#include "native/build_session.h"
#include "native/pip_install.h"
#include "native/staged_layout.h"

namespace lava::native {

enum class PycCompiler { kAuto, kSandbox, kTarget, kNone };

// The setting; an unknown value is an error naming LAVA_PYC_COMPILER and the choices.
PycCompiler pyc_compiler(const NativeOptions& options);

// What the requirements layer's recipe records about .pyc files.
std::string bytecode_recipe(const NativeOptions& options);

// One platform's staged pip jobs.
struct StagedModules {
  const BuildTarget* target = nullptr;
  const BaseFacts* facts = nullptr;  // with python
  std::vector<std::string> jobs;     // job directories, relative to the work directory
  size_t first_job = 0;              // the index of jobs[0] among pip's jobs
};

// The compiling of one build's pip jobs (under `work`, the directory holding the job
// directories), platforms that share an interpreter in one process.
class PycCompiling {
 public:
  PycCompiling(BuildSession& s, const StagedLayout& layout, std::filesystem::path work,
               std::vector<StagedModules> platforms);
  // Stops what still runs (pip failed) and waits for it.
  ~PycCompiling();
  PycCompiling(const PycCompiling&) = delete;
  PycCompiling& operator=(const PycCompiling&) = delete;

  // Before pip: chooses the interpreters and starts them following pip's lists.
  void start();
  // After pip: waits for the compiling and checks it. Errors are one line naming the
  // payload, the platform and the way out.
  void finish(const PipOutcome& pip);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lava::native
