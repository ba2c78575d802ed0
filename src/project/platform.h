// Target platforms as the lava config's docker.platform names them.
#pragma once

#include <string>
#include <vector>

namespace lava::project {

// One OCI platform ("linux/amd64", "linux/arm64/v8"), or the build host's default.
struct Platform {
  std::string os;            // "linux"; empty for the host default
  std::string architecture;  // "amd64", "arm64"
  std::string variant;       // "v8" or empty

  bool is_host() const { return os.empty(); }
  // "linux/amd64", "linux/arm64" (variant v8 is arm64's default, so not shown), or "host".
  std::string str() const;
  // A short suffix for per-platform tags and files: "amd64", "arm64", "host".
  std::string suffix() const;
  bool operator==(const Platform&) const = default;
};

struct PlatformSpec {
  std::vector<Platform> platforms;    // one entry {host} for "host"
  std::vector<std::string> notices;   // things the user should know, one line each
};

// Parses "host", "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm" (documented by
// lava as ARM such as Graviton, hence arm64, with a notice), or a comma list of these.
// `where` names the file/key or option in errors.
PlatformSpec parse_platforms(const std::string& value, const std::string& where);

// The build host's own platform (from uname).
Platform host_platform();

}  // namespace lava::project
