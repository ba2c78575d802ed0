// The wheel platform tags pip must accept for a target image: derived from the target's
// architecture and C library, as the target's own pip would compute them.
#pragma once

#include <string>
#include <vector>

namespace lava::native {

struct LibcInfo {
  enum class Kind { kUnknown, kGlibc, kMusl };
  Kind kind = Kind::kUnknown;
  int major = 0;
  int minor = 0;

  std::string str() const;  // "glibc 2.36", "musl 1.2", "unknown C library"
  bool operator==(const LibcInfo&) const = default;
};

// Parses "2.36" / "1.2.4" into major and minor; false when it is not a version.
bool parse_libc_version(const std::string& text, LibcInfo& info);

// The machine name wheels use for an OCI architecture/variant: amd64 → x86_64,
// arm64 → aarch64, arm/v7 → armv7l, 386 → i686... Throws naming the platform otherwise.
std::string wheel_machine(const std::string& architecture, const std::string& variant);

// Every platform tag, most specific first: manylinux_2_<N>_<m> down to the oldest the
// machine has (with the manylinux2014/2010/1 aliases in their places), or musllinux_1_<N>
// down to musllinux_1_0, then linux_<m>.
std::vector<std::string> wheel_platform_tags(const LibcInfo& libc, const std::string& machine);

// "cp311" for "3.11".
std::string cpython_abi(const std::string& python_version);

}  // namespace lava::native
