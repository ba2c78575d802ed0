// The lava framework's bin/lava-docker, done by us: a project's Makefile runs
//   lava-docker -c CONFIG -p env=ENV -P PLATFORM -b PIP_INDEX_URL -b BASE_IMG=IMG -t REPO/NAME
//               -T ETC/sagemakertopython.tpl -i DIST/NAME.dockerimg NAME.docker ETC/Dockerfile
// and a symlink bin/lava-docker -> our binary makes that call build with our orchestration.
#pragma once

#include <string_view>

namespace lava::cli {

// True when the arguments have that shape: the first one is one of the framework script's
// options (-b -c -i -p -P -t -T, or -h followed by more arguments) rather than a command
// or our own -C. Header-only so the light front can hand such a call over.
inline bool is_framework_dropin_call(int argc, char** argv) {
  if (argc < 2) return false;
  std::string_view first = argv[1];
  if (first.size() < 2 || first[0] != '-' || first[1] == '-') return false;
  if (first[1] == 'h') return first.size() == 2 && argc > 2;
  return std::string_view("bcipPtT").find(first[1]) != std::string_view::npos;
}

// Runs the framework-style build; returns the exit status (prints its own errors: one line,
// status 1; usage errors status 2, as the framework's script).
int run_framework_dropin(int argc, char** argv);

}  // namespace lava::cli
