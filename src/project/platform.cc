#include "project/platform.h"

#include <sys/utsname.h>

#include <algorithm>

#include "util/error.h"

namespace lava::project {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

}  // namespace

std::string Platform::str() const {
  if (is_host()) return "host";
  std::string s = os + "/" + architecture;
  if (!variant.empty() && !(architecture == "arm64" && variant == "v8")) s += "/" + variant;
  return s;
}

std::string Platform::suffix() const {
  if (is_host()) return "host";
  std::string s = architecture;
  if (!variant.empty() && !(architecture == "arm64" && variant == "v8")) s += variant;
  return s;
}

PlatformSpec parse_platforms(const std::string& value, const std::string& where) {
  PlatformSpec spec;
  std::string v = trim(value);
  if (v.empty()) throw Error(where + ": empty platform; use host, linux/amd64 or linux/arm64");
  if (v == "host") {
    spec.platforms.push_back(Platform{});
    return spec;
  }
  for (const std::string& raw : split(v, ',')) {
    std::string item = trim(raw);
    if (item.empty())
      throw Error(where + ": empty entry in platform list '" + value + "'");
    if (item == "host")
      throw Error(where + ": 'host' cannot be combined with other platforms in '" + value + "'");
    std::vector<std::string> parts = split(item, '/');
    if (parts[0] != "linux")
      throw Error(where + ": unsupported platform '" + item + "': lava workers run linux images");
    Platform p;
    p.os = "linux";
    if (parts.size() == 2 && parts[1] == "amd64") {
      p.architecture = "amd64";
    } else if ((parts.size() == 2 && parts[1] == "arm64") ||
               (parts.size() == 3 && parts[1] == "arm64" && parts[2] == "v8")) {
      p.architecture = "arm64";
      p.variant = "v8";
    } else if (parts.size() == 2 && parts[1] == "arm") {
      p.architecture = "arm64";
      p.variant = "v8";
      spec.notices.push_back(where +
                             ": 'linux/arm' is read as lava documents it (ARM such as M-series "
                             "and Graviton), i.e. linux/arm64; docker's own linux/arm is 32-bit");
    } else {
      throw Error(where + ": unsupported platform '" + item +
                  "'; use host, linux/amd64, linux/arm64 or a comma list of these");
    }
    if (std::find(spec.platforms.begin(), spec.platforms.end(), p) == spec.platforms.end())
      spec.platforms.push_back(p);
  }
  return spec;
}

Platform host_platform() {
  struct utsname u {};
  ::uname(&u);
  std::string m = u.machine;
  Platform p;
  p.os = "linux";
  if (m == "x86_64") {
    p.architecture = "amd64";
  } else if (m == "aarch64" || m == "arm64") {
    p.architecture = "arm64";
    p.variant = "v8";
  } else {
    p.architecture = m;
  }
  return p;
}

}  // namespace lava::project
