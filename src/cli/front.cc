#include "cli/front.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"

namespace lava::cli::front {

namespace {
// The commands main.cc adds only to the full binary. One missing here would still work
// (the front fails to parse it and hands over); listing it keeps an argument that happens
// to be its name from being parsed by the front's smaller command set.
constexpr std::string_view kFullOnlyCommands[] = {"run",     "prepare", "build",    "clean",
                                                  "install", "uninstall", "render"};
}  // namespace

bool names_full_only_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (std::string_view name : kFullOnlyCommands)
      if (name == argv[i]) return true;
  return false;
}

void exec_full(char** argv) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("cannot find the lava-docker binary: /proc/self/exe: " + ec.message());
  std::filesystem::path full = self.parent_path() / LAVA_FULL_BINARY_NAME;
  ::execv(full.c_str(), argv);
  throw Error(full.string() + ": cannot run the full lava-docker binary: " + std::strerror(errno));
}

}  // namespace lava::cli::front
