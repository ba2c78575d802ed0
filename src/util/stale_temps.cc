#include "util/stale_temps.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <regex>

namespace lava {

namespace fs = std::filesystem;

std::optional<long> temp_owner_pid(const std::string& name) {
  static const std::regex pattern(
      R"(^(?:\.tmp-|\.layer-|pip-|.+\.tmp-|\..+\.context-|\..+\.oci\.tmp-)([0-9]{1,9})(?:-[0-9]+)?(?:\.old)?$)");
  // Most names in a cache are plain digests: skip the regex for them.
  if (name.find("tmp-") == std::string::npos && name.find("context-") == std::string::npos &&
      name.find("layer-") == std::string::npos && name.rfind("pip-", 0) != 0)
    return std::nullopt;
  std::smatch m;
  if (!std::regex_match(name, m, pattern)) return std::nullopt;
  long pid = std::stol(m[1].str());
  if (pid <= 0) return std::nullopt;
  return pid;
}

bool process_alive(long pid) {
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

int sweep_dead_temps(const fs::path& dir, int depth, const std::vector<std::string>& skip) {
  if (depth <= 0) return 0;
  int removed = 0;
  std::error_code ec;
  std::vector<fs::path> subdirs;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (auto pid = temp_owner_pid(name)) {
      if (!process_alive(*pid)) {
        std::error_code rm;
        if (fs::remove_all(e.path(), rm) > 0 && !rm) ++removed;
      }
      continue;
    }
    std::error_code st;
    if (e.is_directory(st) && !e.is_symlink(st) &&
        std::find(skip.begin(), skip.end(), name) == skip.end())
      subdirs.push_back(e.path());
  }
  for (const auto& d : subdirs) removed += sweep_dead_temps(d, depth - 1, skip);
  return removed;
}

}  // namespace lava
