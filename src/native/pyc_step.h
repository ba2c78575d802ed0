// The byte-compiling step of a native build. After pip, the modules it installed for each
// platform are compiled (pyc_compile.h) by an interpreter of that platform's exact Python
// version, the first of:
//   1. the build host's interpreter that ran pip, when it is CPython of exactly the version
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
// requirements layer's recipe names only whether there are .pyc files.
#pragma once

#include <filesystem>
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
  size_t modules = 0;                // what pip listed for them
};

// Compiles every platform's modules in place under `work` (the directory holding the job
// directories), grouping platforms that share an interpreter into one run. Errors are one
// line naming the payload, the platform and the way out.
void compile_staged_modules(BuildSession& s, const StagedLayout& layout,
                            const std::filesystem::path& work,
                            const std::vector<StagedModules>& platforms, const PipOutcome& pip);

}  // namespace lava::native
