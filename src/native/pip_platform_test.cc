#include "native/pip_platform.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "util/error.h"

namespace lava::native {
namespace {

// The tags pip's own vendored `packaging` computes for a target with this C library,
// on Debian's python3 (the reference). Empty when that python or pip is not there.
std::vector<std::string> reference_tags(const std::string& kind, int major, int minor,
                                        const std::string& machine) {
  std::string script =
      "import sys\n"
      "from pip._vendor.packaging import _manylinux, _musllinux\n"
      "kind, major, minor, arch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]\n"
      "if kind == 'glibc':\n"
      "    _manylinux._get_glibc_version = lambda: (major, minor)\n"
      "    _manylinux._have_compatible_abi = lambda *a: True\n"
      "    tags = list(_manylinux.platform_tags('linux_' + arch, arch))\n"
      "else:\n"
      "    _musllinux._get_musl_version = lambda exe: _musllinux._MuslVersion(major, minor)\n"
      "    tags = list(_musllinux.platform_tags(arch))\n"
      "print('\\n'.join(tags + ['linux_' + arch]))\n";
  std::string cmd = "/usr/bin/python3 -c \"$LAVA_SCRIPT\" " + kind + " " + std::to_string(major) +
                    " " + std::to_string(minor) + " " + machine + " 2>/dev/null";
  ::setenv("LAVA_SCRIPT", script.c_str(), 1);
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {};
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (::pclose(p) != 0) return {};
  std::vector<std::string> tags;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) tags.push_back(line);
  return tags;
}

TEST(PipPlatform, MachinesOfOciArchitectures) {
  EXPECT_EQ(wheel_machine("amd64", ""), "x86_64");
  EXPECT_EQ(wheel_machine("arm64", "v8"), "aarch64");
  EXPECT_EQ(wheel_machine("arm", "v7"), "armv7l");
  EXPECT_EQ(wheel_machine("386", ""), "i686");
  EXPECT_EQ(wheel_machine("ppc64le", ""), "ppc64le");
  try {
    wheel_machine("mips64le", "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--engine docker"), std::string::npos);
  }
}

TEST(PipPlatform, ManylinuxTagsForBookwormAmd64) {
  auto tags = wheel_platform_tags({LibcInfo::Kind::kGlibc, 2, 36}, "x86_64");
  EXPECT_EQ(tags.front(), "manylinux_2_36_x86_64");
  EXPECT_EQ(tags.back(), "linux_x86_64");
  auto at = [&](const std::string& t) {
    return std::find(tags.begin(), tags.end(), t) - tags.begin();
  };
  EXPECT_EQ(at("manylinux2014_x86_64"), at("manylinux_2_17_x86_64") + 1);
  EXPECT_EQ(at("manylinux2010_x86_64"), at("manylinux_2_12_x86_64") + 1);
  EXPECT_EQ(at("manylinux1_x86_64"), at("manylinux_2_5_x86_64") + 1);
  EXPECT_EQ(tags.size(), 32u + 3u + 1u);
}

TEST(PipPlatform, AgreesWithPipsOwnPackagingLibrary) {
  struct Case {
    LibcInfo libc;
    std::string machine;
  };
  std::vector<Case> cases = {
      {{LibcInfo::Kind::kGlibc, 2, 36}, "x86_64"},  {{LibcInfo::Kind::kGlibc, 2, 36}, "aarch64"},
      {{LibcInfo::Kind::kGlibc, 2, 17}, "aarch64"}, {{LibcInfo::Kind::kGlibc, 2, 31}, "i686"},
      {{LibcInfo::Kind::kGlibc, 2, 34}, "ppc64le"}, {{LibcInfo::Kind::kMusl, 1, 2}, "x86_64"},
      {{LibcInfo::Kind::kMusl, 1, 1}, "aarch64"}};
  for (const auto& c : cases) {
    auto expected = reference_tags(c.libc.kind == LibcInfo::Kind::kGlibc ? "glibc" : "musl",
                                   c.libc.major, c.libc.minor, c.machine);
    if (expected.empty()) GTEST_SKIP() << "/usr/bin/python3 with pip is not available";
    EXPECT_EQ(wheel_platform_tags(c.libc, c.machine), expected) << c.libc.str() << " " << c.machine;
  }
}

TEST(PipPlatform, TooOldOrUnknownLibcLeavesOnlyTheLinuxTag) {
  EXPECT_EQ(wheel_platform_tags({LibcInfo::Kind::kGlibc, 2, 12}, "aarch64"),
            (std::vector<std::string>{"linux_aarch64"}));
  EXPECT_EQ(wheel_platform_tags({}, "x86_64"), (std::vector<std::string>{"linux_x86_64"}));
}

TEST(PipPlatform, AbiAndVersions) {
  EXPECT_EQ(cpython_abi("3.11"), "cp311");
  EXPECT_EQ(cpython_abi("3.9"), "cp39");
  EXPECT_THROW(cpython_abi("three"), Error);
  LibcInfo v;
  EXPECT_TRUE(parse_libc_version("1.2.4", v));
  EXPECT_EQ(v.major, 1);
  EXPECT_EQ(v.minor, 2);
  EXPECT_FALSE(parse_libc_version("x.y", v));
}

}  // namespace
}  // namespace lava::native
