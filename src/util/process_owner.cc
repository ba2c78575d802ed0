#include "util/process_owner.h"

#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "util/stale_temps.h"

namespace lava {
namespace {

std::string first_line_of(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The machine: systemd's machine id where there is one (stable, unique), else the host name.
std::string machine_id() {
  std::string id = first_line_of("/etc/machine-id");
  if (id.empty()) id = first_line_of("/var/lib/dbus/machine-id");
  if (id.empty()) {
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) == 0) id = std::string("host-") + host;
  }
  for (char& c : id)
    if (c == '/') c = '_';
  return id;
}

std::string boot_id() {
  return first_line_of("/proc/sys/kernel/random/boot_id");
}

// Field 22 of /proc/PID/stat: the process's start time in clock ticks since boot. The
// command name (field 2) may hold spaces and parentheses, so fields count from its last ')'.
std::optional<std::string> start_time_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int n = 3; n <= 22; ++n)
    if (!(fields >> field)) return std::nullopt;
  return field;
}

std::vector<std::string> split_slashes(const std::string& tag) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash; (slash = tag.find('/', start)) != std::string::npos; start = slash + 1)
    parts.push_back(tag.substr(start, slash - start));
  parts.push_back(tag.substr(start));
  return parts;
}

}  // namespace

std::string this_process_owner_tag() {
  const long pid = static_cast<long>(::getpid());
  return machine_id() + "/" + boot_id() + "/" + std::to_string(pid) + "/" +
         start_time_of(pid).value_or("");
}

bool owner_tag_gone(const std::string& tag) {
  const auto parts = split_slashes(tag);
  if (parts.size() != 4 || parts[0].empty() || parts[0] != machine_id()) return false;
  if (parts[1] != boot_id()) return true;
  long pid = 0;
  try {
    size_t used = 0;
    pid = std::stol(parts[2], &used);
    if (used != parts[2].size() || pid <= 0) return false;
  } catch (const std::exception&) {
    return false;
  }
  if (!process_alive(pid)) return true;
  const auto started = start_time_of(pid);
  return started && !parts[3].empty() && *started != parts[3];
}

}  // namespace lava
