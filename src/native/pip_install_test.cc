#include "native/pip_install.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

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
  auto jobs = pip_jobs_for(t, "/w/requirements.txt", "/w/requirements-nodeps.txt", "/s");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].target_dir, "/s/deps");
  EXPECT_EQ(jobs[1].target_dir, "/s/nodeps");
  auto a = pip_install_args(jobs[1], "/c/pip");
  auto has = [&](const std::vector<std::string>& seq) {
    return std::search(a.begin(), a.end(), seq.begin(), seq.end()) != a.end();
  };
  EXPECT_EQ(a.front(), "install");
  EXPECT_TRUE(has({"--target", "/s/nodeps"}));
  EXPECT_TRUE(has({"--only-binary=:all:"}));
  EXPECT_TRUE(has({"--python-version", "3.11"}));
  EXPECT_TRUE(has({"--implementation", "cp"}));
  EXPECT_TRUE(has({"--abi", "cp311"}));
  EXPECT_TRUE(has({"--platform", "manylinux_2_36_aarch64", "--platform", "linux_aarch64"}));
  EXPECT_TRUE(has({"--no-compile"}));
  EXPECT_TRUE(has({"--no-deps"}));
  EXPECT_TRUE(has({"--cache-dir", "/c/pip"}));
  EXPECT_TRUE(has({"-r", "requirements-nodeps.txt"}));
  auto deps = pip_install_args(jobs[0], "");
  EXPECT_EQ(std::count(deps.begin(), deps.end(), "--no-deps"), 0);
  EXPECT_EQ(std::count(deps.begin(), deps.end(), "--no-cache-dir"), 1);
  EXPECT_EQ(pip_jobs_for(t, "", "/w/requirements-nodeps.txt", "/s").size(), 1u);
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
  std::map<std::string, oci::LayerEntry> by;
  for (const auto& e : entries) by[e.path] = e;
  const std::string site = "usr/local/lib/python3.11/dist-packages";
  ASSERT_TRUE(by.count(site + "/pkg/__init__.py"));
  EXPECT_EQ(by[site + "/pkg/__init__.py"].mode, 0644u);
  EXPECT_EQ(by[site + "/pkg/native.so"].mode, 0755u);
  EXPECT_EQ(by[site + "/pkg"].type, oci::LayerEntry::Type::kDirectory);
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
  EXPECT_EQ(by[site].type, oci::LayerEntry::Type::kDirectory);
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

// Real pip against a local PEP 503 index (the harness's generator).
class RealPipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* src = std::getenv("LAVA_SOURCE_DIR");
    if (!src || !fs::exists("/usr/bin/python3"))
      GTEST_SKIP() << "needs LAVA_SOURCE_DIR and /usr/bin/python3";
    std::string cmd = "/usr/bin/python3 " + std::string(src) + "/tests/harness/make_index.py " +
                      (t_.path / "index").string() + " >/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ::setenv("PIP_INDEX_URL", ("file://" + (t_.path / "index/simple").string() + "/").c_str(), 1);
  }
  void TearDown() override { ::unsetenv("PIP_INDEX_URL"); }
  testing::TempDir t_;
};

TEST_F(RealPipTest, EveryJobInOneInterpreterRightWheelPerTarget) {
  write(t_.path / "work/requirements.txt", "lavatest-withdeps\nlavatest-native\n");
  write(t_.path / "work/requirements-nodeps.txt", "lavatest-nodeps-only\n");
  PipTarget arm{"linux/arm64",
                "3.11",
                "cp311",
                {"manylinux_2_36_aarch64", "manylinux2014_aarch64", "linux_aarch64"},
                "glibc 2.36"};
  PipTarget x86{
      "linux/amd64", "3.11", "cp311", {"manylinux2014_x86_64", "linux_x86_64"}, "glibc 2.36"};
  auto jobs = pip_jobs_for(arm, t_.path / "work/requirements.txt",
                           t_.path / "work/requirements-nodeps.txt", t_.path / "arm");
  auto more = pip_jobs_for(x86, t_.path / "work/requirements.txt",
                           t_.path / "work/requirements-nodeps.txt", t_.path / "x86");
  jobs.insert(jobs.end(), more.begin(), more.end());
  PipRun run;
  run.payload = "hello";
  std::map<std::string, int> lines;
  run.on_line = [&](const PipJob& job, const std::string&) { ++lines[job.target_dir.string()]; };
  run_pip_jobs(jobs, run);
  EXPECT_NE(lava::read_file(t_.path / "arm/deps/lavatest_native/__init__.py").find("aarch64"),
            std::string::npos);
  EXPECT_NE(lava::read_file(t_.path / "x86/deps/lavatest_native/__init__.py").find("x86_64"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(t_.path / "arm/deps/lavatest_dep/__init__.py"));  // a dependency
  EXPECT_TRUE(fs::exists(t_.path / "arm/nodeps/lavatest_nodeps_only/__init__.py"));
  EXPECT_FALSE(fs::exists(t_.path / "arm/nodeps/lavatest_dep"));  // --no-deps
  EXPECT_EQ(lines.size(), 4u);  // every job's output came back as its own
}

TEST_F(RealPipTest, NoWheelForTheTargetIsAClearErrorAboutThatJob) {
  write(t_.path / "work/requirements.txt", "lavatest-pure\n");
  write(t_.path / "work/requirements-nodeps.txt", "lavatest-native\n");
  PipTarget target{
      "linux/arm/v7", "3.11", "cp311", {"manylinux_2_36_armv7l", "linux_armv7l"}, "glibc 2.36"};
  PipRun run;
  run.payload = "hello";
  try {
    run_pip_jobs(pip_jobs_for(target, t_.path / "work/requirements.txt",
                              t_.path / "work/requirements-nodeps.txt", t_.path / "s"),
                 run);
    FAIL() << "pip installed a wheel that does not exist";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("requirements-nodeps.txt"), std::string::npos) << m;
    EXPECT_NE(m.find("'lavatest-native'"), std::string::npos) << m;
    EXPECT_NE(m.find("linux/arm/v7"), std::string::npos) << m;
    EXPECT_NE(m.find("--engine docker"), std::string::npos) << m;
  }
  EXPECT_TRUE(fs::exists(t_.path / "s/deps/lavatest_pure/__init__.py"));  // the first job ran
}

}  // namespace
}  // namespace lava::native
