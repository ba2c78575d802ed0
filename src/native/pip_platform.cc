#include "native/pip_platform.h"

#include <regex>

#include "util/error.h"

namespace lava::native {

std::string LibcInfo::str() const {
  switch (kind) {
    case Kind::kGlibc:
      return "glibc " + std::to_string(major) + "." + std::to_string(minor);
    case Kind::kMusl:
      return "musl " + std::to_string(major) + "." + std::to_string(minor);
    case Kind::kUnknown:
      break;
  }
  return "unknown C library";
}

bool parse_libc_version(const std::string& text, LibcInfo& info) {
  static const std::regex kVersion(R"((\d+)\.(\d+)(\..*)?)");
  std::smatch m;
  if (!std::regex_match(text, m, kVersion)) return false;
  info.major = std::stoi(m[1]);
  info.minor = std::stoi(m[2]);
  return true;
}

std::string wheel_machine(const std::string& architecture, const std::string& variant) {
  if (architecture == "amd64") return "x86_64";
  if (architecture == "arm64") return "aarch64";
  if (architecture == "386") return "i686";
  if (architecture == "arm") return variant == "v6" ? "armv6l" : "armv7l";
  if (architecture == "ppc64le" || architecture == "s390x" || architecture == "riscv64")
    return architecture;
  throw Error("linux/" + architecture + (variant.empty() ? "" : "/" + variant) +
              ": the native engine does not know this architecture's wheel tags; build with "
              "--engine docker");
}

std::vector<std::string> wheel_platform_tags(const LibcInfo& libc, const std::string& machine) {
  std::vector<std::string> tags;
  if (libc.kind == LibcInfo::Kind::kGlibc && libc.major == 2) {
    // manylinux starts at glibc 2.5 on x86, 2.17 elsewhere (PEP 600, PEP 599).
    bool x86 = machine == "x86_64" || machine == "i686";
    int oldest = x86 ? 5 : 17;
    for (int minor = libc.minor; minor >= oldest; --minor) {
      tags.push_back("manylinux_2_" + std::to_string(minor) + "_" + machine);
      if (minor == 17) tags.push_back("manylinux2014_" + machine);
      if (minor == 12 && x86) tags.push_back("manylinux2010_" + machine);
      if (minor == 5 && x86) tags.push_back("manylinux1_" + machine);
    }
  } else if (libc.kind == LibcInfo::Kind::kMusl && libc.major == 1) {
    for (int minor = libc.minor; minor >= 0; --minor)
      tags.push_back("musllinux_1_" + std::to_string(minor) + "_" + machine);
  }
  tags.push_back("linux_" + machine);
  return tags;
}

std::string cpython_abi(const std::string& python_version) {
  static const std::regex kVersion(R"((\d+)\.(\d+))");
  std::smatch m;
  if (!std::regex_match(python_version, m, kVersion))
    throw Error("python version '" + python_version + "' is not MAJOR.MINOR");
  return "cp" + m[1].str() + m[2].str();
}

}  // namespace lava::native
