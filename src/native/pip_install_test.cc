#include "native/pip_install.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "native/test_util.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

BaseFacts debian_facts() {
  BaseFacts f;
  f.python = PythonLayout{"/usr/bin/python3", "3.11", "/usr/local/lib/python3.11/dist-packages",
                          "/usr/local/bin", "debian"};
  f.meta["usr"] = {0755, 0, 0};
  f.meta["usr/local/lib/python3.11"] = {02775, 0, 50};
  return f;
}

void write(const fs::path& p, const std::string& data, fs::perms perms = fs::perms(0644)) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
  fs::permissions(p, perms);
}

TEST(PipInstall, ArgumentsAskForTargetWheelsOnly) {
  PipTarget t{
      "linux/arm64", "3.11", "cp311", {"manylinux_2_36_aarch64", "linux_aarch64"}, "glibc 2.36"};
  auto a = pip_install_args(t, "requirements-nodeps.txt", true, "/s/nodeps", "/c/pip");
  auto has = [&](const std::vector<std::string>& seq) {
    return std::search(a.begin(), a.end(), seq.begin(), seq.end()) != a.end();
  };
  EXPECT_TRUE(has({"--target", "/s/nodeps"}));
  EXPECT_TRUE(has({"--only-binary=:all:"}));
  EXPECT_TRUE(has({"--python-version", "3.11"}));
  EXPECT_TRUE(has({"--implementation", "cp"}));
  EXPECT_TRUE(has({"--abi", "cp311"}));
  EXPECT_TRUE(has({"--platform", "manylinux_2_36_aarch64", "--platform", "linux_aarch64"}));
  EXPECT_TRUE(has({"--no-compile"}));
  EXPECT_TRUE(has({"--no-deps"}));
  EXPECT_TRUE(has({"-r", "requirements-nodeps.txt"}));
  auto deps = pip_install_args(t, "requirements.txt", false, "/s/deps", "");
  EXPECT_EQ(std::count(deps.begin(), deps.end(), "--no-deps"), 0);
  EXPECT_EQ(std::count(deps.begin(), deps.end(), "--no-cache-dir"), 1);
}

TEST(PipInstall, OnlyIndexSettingsReachPip) {
  EXPECT_TRUE(pip_passes_through("PIP_INDEX_URL"));
  EXPECT_TRUE(pip_passes_through("PIP_EXTRA_INDEX_URL"));
  EXPECT_FALSE(pip_passes_through("PIP_FIND_LINKS"));
  EXPECT_FALSE(pip_passes_through("PIP_TARGET"));
  EXPECT_FALSE(pip_passes_through("PIP_NO_BINARY"));
}

TEST(PipInstall, StagedPackagesGoToTheSiteDirAndScriptsToTheScriptsDir) {
  testing::TempDir t;
  write(t.path / "deps/pkg/__init__.py", "x = 1\n", fs::perms(0600));
  write(t.path / "deps/pkg/native.so", "ELF", fs::perms(0700));
  write(t.path / "deps/pkg-1.0.dist-info/RECORD", "pkg/__init__.py,,\n");
  write(t.path / "deps/bin/pkg-run", "#!/usr/bin/python3\nimport pkg\n", fs::perms(0755));
  write(t.path / "deps/shared.py", "old\n");
  write(t.path / "nodeps/shared.py", "new\n");
  write(t.path / "nodeps/bin/other", "#!/bin/sh\necho\n", fs::perms(0755));
  auto entries = pip_layer_entries(t.path, debian_facts(), "/usr/bin/python3");
  std::map<std::string, LayerEntry> by;
  for (const auto& e : entries) by[e.path] = e;
  const std::string site = "usr/local/lib/python3.11/dist-packages";
  ASSERT_TRUE(by.count(site + "/pkg/__init__.py"));
  EXPECT_EQ(by[site + "/pkg/__init__.py"].mode, 0644u);
  EXPECT_EQ(by[site + "/pkg/native.so"].mode, 0755u);
  EXPECT_EQ(by[site + "/pkg"].type, LayerEntry::Type::kDirectory);
  EXPECT_TRUE(by.count(site + "/pkg-1.0.dist-info/RECORD"));
  EXPECT_EQ(lava::read_file(by[site + "/shared.py"].source), "new\n");  // nodeps wins
  EXPECT_FALSE(by.count(site + "/bin/pkg-run"));
  ASSERT_TRUE(by.count("usr/local/bin/pkg-run"));
  EXPECT_EQ(by["usr/local/bin/pkg-run"].content, "#!/usr/bin/python3\nimport pkg\n");
  EXPECT_EQ(by["usr/local/bin/pkg-run"].mode, 0755u);
  EXPECT_EQ(by["usr/local/bin/other"].content, "#!/bin/sh\necho\n");
  // Parents keep the base's metadata, or 0755 root.
  EXPECT_EQ(by["usr/local/lib/python3.11"].mode, 02775u);
  EXPECT_EQ(by["usr/local/lib/python3.11"].gid, 50u);
  EXPECT_EQ(by["usr/local"].mode, 0755u);
  EXPECT_EQ(by[site].type, LayerEntry::Type::kDirectory);
  for (const auto& e : entries) EXPECT_EQ(e.uid, 0u) << e.path;
}

TEST(PipInstall, ScriptsPointAtTheBasesPython) {
  testing::TempDir t;
  write(t.path / "deps/bin/tool", "#!/opt/host/python3 -E\nprint()\n", fs::perms(0755));
  BaseFacts f = debian_facts();
  f.python->executable = "/usr/local/bin/python3";
  auto entries = pip_layer_entries(t.path, f, "/opt/host/python3");
  bool found = false;
  for (const auto& e : entries) {
    if (e.path != "usr/local/bin/tool") continue;
    found = true;
    EXPECT_EQ(e.content, "#!/usr/local/bin/python3 -E\nprint()\n");
  }
  EXPECT_TRUE(found);
}

// Real pip against a local PEP 503 index (the harness's generator): a requirement with no
// wheel for the target names the package, the platform and --engine docker.
TEST(PipInstall, NoWheelForTheTargetIsAClearError) {
  const char* src = std::getenv("LAVA_SOURCE_DIR");
  if (!src || !fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "needs LAVA_SOURCE_DIR and /usr/bin/python3";
  testing::TempDir t;
  std::string cmd = "/usr/bin/python3 " + std::string(src) + "/tests/harness/make_index.py " +
                    (t.path / "index").string() + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  write(t.path / "work/requirements.txt", "lavatest-pure\nlavatest-native\n");
  ::setenv("PIP_INDEX_URL", ("file://" + (t.path / "index/simple").string() + "/").c_str(), 1);
  PipTarget target{
      "linux/arm/v7", "3.11", "cp311", {"manylinux_2_36_armv7l", "linux_armv7l"}, "glibc 2.36"};
  PipRun run;
  run.requirements = t.path / "work/requirements.txt";
  run.staging = t.path / "staging";
  run.payload = "hello";
  try {
    pip_install(target, run);
    FAIL() << "pip installed a wheel that does not exist";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'lavatest-native'"), std::string::npos) << m;
    EXPECT_NE(m.find("linux/arm/v7"), std::string::npos) << m;
    EXPECT_NE(m.find("--engine docker"), std::string::npos) << m;
  }
  // The same requirements for aarch64 install, the right wheel included.
  target = {"linux/arm64",
            "3.11",
            "cp311",
            {"manylinux_2_36_aarch64", "manylinux2014_aarch64", "linux_aarch64"},
            "glibc 2.36"};
  run.staging = t.path / "staging2";
  pip_install(target, run);
  EXPECT_EQ(lava::read_file(t.path / "staging2/deps/lavatest_native/__init__.py").find("aarch64") !=
                std::string::npos,
            true);
  ::unsetenv("PIP_INDEX_URL");
}

}  // namespace
}  // namespace lava::native
