#include "native/pip_install.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "native/pyc_compile.h"
#include "native/spooled_files.h"
#include "native/test_util.h"
#include "oci/tar_stream.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

BaseFacts debian_facts() {
  BaseFacts f;
  f.python = PythonLayout{"/usr/bin/python3", "3.11",   "/usr/local/lib/python3.11/dist-packages",
                          "/usr/local/bin",   "debian", "3.11.2"};
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
  PipTarget t{"linux/arm64", "3.11", "cp311", {"manylinux_2_36_aarch64", "linux_aarch64"},
              "glibc 2.36",  {},     {}};
  auto jobs = pip_jobs_for(t, "/w/requirements.txt", "/w/requirements-nodeps.txt", "/s");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].target_dir, "/s/deps/target");
  EXPECT_EQ(jobs[0].root, "/s/deps/root");
  EXPECT_EQ(jobs[1].target_dir, "/s/nodeps/target");
  EXPECT_EQ(jobs[1].root, "/s/nodeps/root");
  auto a = pip_install_args(jobs[1], "/c/pip");
  auto has = [&](const std::vector<std::string>& seq) {
    return std::search(a.begin(), a.end(), seq.begin(), seq.end()) != a.end();
  };
  EXPECT_EQ(a.front(), "install");
  EXPECT_TRUE(has({"--target", "/s/nodeps/target"}));
  EXPECT_TRUE(has({"--only-binary=:all:"}));
  EXPECT_TRUE(has({"--python-version", "3.11"}));
  EXPECT_TRUE(has({"--implementation", "cp"}));
  EXPECT_TRUE(has({"--abi", "cp311"}));
  EXPECT_TRUE(has({"--platform", "manylinux_2_36_aarch64", "--platform", "linux_aarch64"}));
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

TEST(PipInstall, StagedFilesKeepTheirImagePathsAndDirectoriesTheBasesMetadata) {
  testing::TempDir t;
  const fs::path deps = t.path / "deps/root", nodeps = t.path / "nodeps/root";
  const std::string site = "usr/local/lib/python3.11/dist-packages";
  write(deps / site / "pkg/__init__.py", "x = 1\n", fs::perms(0600));
  write(deps / site / "pkg/native.so", "ELF", fs::perms(0700));
  write(deps / site / "pkg-1.0.dist-info/RECORD", "pkg/__init__.py,,\n");
  write(deps / "usr/local/bin/pkg-run", "#!/usr/bin/python3\nimport pkg\n", fs::perms(0755));
  write(deps / "usr/local/share/pkg/data.txt", "data\n");
  write(deps / site / "shared.py", "old\n");
  write(nodeps / site / "shared.py", "new\n");
  write(nodeps / "usr/local/bin/other", "#!/bin/sh\necho\n", fs::perms(0755));
  auto entries = pip_layer_entries(t.path, debian_facts(), "/usr/bin/python3");
  std::map<std::string, oci::LayerEntry> by;
  for (const auto& e : entries) by[e.path] = e;
  ASSERT_TRUE(by.count(site + "/pkg/__init__.py"));
  EXPECT_EQ(by[site + "/pkg/__init__.py"].mode, 0644u);
  EXPECT_EQ(by[site + "/pkg/native.so"].mode, 0755u);
  EXPECT_EQ(by[site + "/pkg"].type, oci::LayerEntry::Type::kDirectory);
  EXPECT_TRUE(by.count(site + "/pkg-1.0.dist-info/RECORD"));
  EXPECT_EQ(lava::read_file(by[site + "/shared.py"].source), "new\n");  // nodeps wins
  EXPECT_EQ(lava::read_file(by["usr/local/share/pkg/data.txt"].source), "data\n");
  ASSERT_TRUE(by.count("usr/local/bin/pkg-run"));
  EXPECT_EQ(by["usr/local/bin/pkg-run"].content, "#!/usr/bin/python3\nimport pkg\n");
  EXPECT_EQ(by["usr/local/bin/pkg-run"].mode, 0755u);
  EXPECT_EQ(by["usr/local/bin/other"].content, "#!/bin/sh\necho\n");
  // Directories keep the base's metadata, or 0755 root.
  EXPECT_EQ(by["usr/local/lib/python3.11"].mode, 02775u);
  EXPECT_EQ(by["usr/local/lib/python3.11"].gid, 50u);
  EXPECT_EQ(by["usr/local"].mode, 0755u);
  EXPECT_EQ(by[site].type, oci::LayerEntry::Type::kDirectory);
  EXPECT_FALSE(by.count("deps"));
  for (const auto& e : entries) EXPECT_EQ(e.uid, 0u) << e.path;
}

TEST(PipInstall, SpooledFilesJoinTheTreeWithTheDirectoriesPipWouldHaveMade) {
  testing::TempDir t;
  const std::string site = "usr/local/lib/python3.11/dist-packages";
  write(t.path / "deps/root" / site / "pkg-1.0.dist-info/RECORD", "pkg/__init__.py,,\n");
  write(t.path / "nodeps/root" / site / "shared.py", "from a file\n");
  // deps: two package files in its spool, one .pyc in a compiling process's spool.
  write(t.path / "deps" / kSpoolFile, "x = 1\nELFshared\n");
  write(t.path / "deps/pyc-0.bin", "PYC!");
  write(t.path / "deps" / kSpoolList,
        "[\"/" + site + "/pkg/__init__.py\", \"files.bin\", 0, 6, 420]\n" + "[\"/" + site +
            "/pkg/sub/native.so\", \"files.bin\", 6, 3, 493]\n");
  write(t.path / "deps" / kPycList,
        "[\"/" + site + "/pkg/__pycache__/__init__.cpython-311.pyc\", \"pyc-0.bin\", 0, 4, 420]\n");
  // nodeps: a package file deps also spooled.
  write(t.path / "nodeps" / kSpoolFile, "new\n");
  write(t.path / "nodeps" / kSpoolList,
        "[\"/" + site + "/pkg/__init__.py\", \"files.bin\", 0, 4, 420]\n");
  auto entries = pip_layer_entries(t.path, debian_facts(), "/usr/bin/python3");
  std::map<std::string, oci::LayerEntry> by;
  for (const auto& e : entries) by[e.path] = e;
  auto content = [&](const std::string& path) {
    const auto& e = by.at(path);
    return lava::read_file(e.source).substr(e.offset, static_cast<size_t>(e.length));
  };
  EXPECT_EQ(content(site + "/pkg/__init__.py"), "new\n");  // nodeps wins, as pip overwrites
  EXPECT_EQ(content(site + "/pkg/sub/native.so"), "ELF");
  EXPECT_EQ(by[site + "/pkg/sub/native.so"].mode, 0755u);
  EXPECT_EQ(content(site + "/pkg/__pycache__/__init__.cpython-311.pyc"), "PYC!");
  EXPECT_EQ(lava::read_file(by.at(site + "/shared.py").source), "from a file\n");
  // The directories above, made as pip's makedirs would, keeping the base's metadata.
  for (const char* dir : {"/pkg", "/pkg/sub", "/pkg/__pycache__"}) {
    ASSERT_TRUE(by.count(site + dir)) << dir;
    EXPECT_EQ(by[site + dir].type, oci::LayerEntry::Type::kDirectory);
    EXPECT_EQ(by[site + dir].mode, 0755u);
  }
  EXPECT_EQ(by["usr/local/lib/python3.11"].mode, 02775u);
  EXPECT_EQ(by["usr/local/lib/python3.11"].gid, 50u);
  // The ranges go into the tar as the files' contents.
  std::string tar;
  oci::write_tar(entries, 0, [&](const char* d, size_t n) { tar.append(d, n); });
  bool seen = false;
  for (const auto& e : testing::read_tar(tar))
    if (e.path == site + "/pkg/sub/native.so") seen = e.data == "ELF";
  EXPECT_TRUE(seen);
}

TEST(PipInstall, ABadSpoolListIsAnErrorNamingIt) {
  testing::TempDir t;
  write(t.path / "deps" / kSpoolFile, "abc");
  write(t.path / "deps" / kSpoolList, "[\"/usr/x.py\", \"files.bin\", 1, 5, 420]\n");
  try {
    pip_layer_entries(t.path, debian_facts(), "/usr/bin/python3");
    FAIL() << "a range beyond the spool's end was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("files.jsonl: line 1"), std::string::npos) << e.what();
  }
  write(t.path / "deps" / kSpoolList, "{\"not\": \"a row\"}\n");
  EXPECT_THROW(pip_layer_entries(t.path, debian_facts(), "/usr/bin/python3"), Error);
}

TEST(PipInstall, ScriptsPointAtTheBasesPython) {
  testing::TempDir t;
  write(t.path / "deps/root/usr/local/bin/tool", "#!/opt/host/python3 -E\nprint()\n",
        fs::perms(0755));
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

// A Debian-style target: CPython `version` on `machine` with glibc 2.36.
PipTarget debian_target(const std::string& platform, const std::string& machine,
                        const std::string& version, const std::string& full) {
  PythonLayout py{
      "/usr/bin/python3", version,  "/usr/local/lib/python" + version + "/dist-packages",
      "/usr/local/bin",   "debian", full};
  PipTarget t;
  t.platform = platform;
  t.python_version = version;
  t.abi = cpython_abi(version);
  LibcInfo libc{LibcInfo::Kind::kGlibc, 2, 36};
  t.platform_tags = wheel_platform_tags(libc, machine);
  t.libc = libc.str();
  t.scheme = install_scheme_for(py);
  t.markers = marker_environment(py, machine);
  return t;
}

// Byte-compiles what the jobs staged with the host's /usr/bin/python3 (3.11, as the
// targets here), as a build does after pip when the host's interpreter is the target's.
PycCompileOutcome compile_staged(const std::vector<PipJob>& jobs, const fs::path& work) {
  PycCompileRun run;
  run.python = "/usr/bin/python3";
  run.work = work;
  for (const auto& job : jobs)
    run.jobs.push_back(fs::relative(job.root.parent_path(), work).string());
  run.workers = 2;
  run.what = "the host's python3";
  PycCompileOutcome outcome = run_pyc_compile(run);
  for (const auto& job : jobs) testing::unspool(job.root.parent_path());
  return outcome;
}

std::string site_of(const fs::path& staging, const std::string& part, const std::string& v) {
  return (staging / part / "root/usr/local/lib" / ("python" + v) / "dist-packages").string();
}

TEST_F(RealPipTest, EveryJobInOneInterpreterRightWheelPerTarget) {
  write(t_.path / "work/requirements.txt", "lavatest-withdeps\nlavatest-native\n");
  write(t_.path / "work/requirements-nodeps.txt", "lavatest-nodeps-only\n");
  PipTarget arm = debian_target("linux/arm64", "aarch64", "3.11", "3.11.2");
  PipTarget x86 = debian_target("linux/amd64", "x86_64", "3.11", "3.11.2");
  auto jobs = pip_jobs_for(arm, t_.path / "work/requirements.txt",
                           t_.path / "work/requirements-nodeps.txt", t_.path / "arm");
  auto more = pip_jobs_for(x86, t_.path / "work/requirements.txt",
                           t_.path / "work/requirements-nodeps.txt", t_.path / "x86");
  jobs.insert(jobs.end(), more.begin(), more.end());
  PipRun run;
  run.payload = "hello";
  std::map<std::string, int> lines;
  run.on_line = [&](const PipJob& job, const std::string&) { ++lines[job.root.string()]; };
  PipOutcome outcome = run_pip_jobs(jobs, run);
  EXPECT_EQ(outcome.modules.size(), jobs.size());
  compile_staged(jobs, t_.path);
  const std::string arm_deps = site_of(t_.path / "arm", "deps", "3.11");
  EXPECT_NE(lava::read_file(arm_deps + "/lavatest_native/__init__.py").find("aarch64"),
            std::string::npos);
  EXPECT_NE(
      lava::read_file(site_of(t_.path / "x86", "deps", "3.11") + "/lavatest_native/__init__.py")
          .find("x86_64"),
      std::string::npos);
  EXPECT_TRUE(fs::exists(arm_deps + "/lavatest_dep/__init__.py"));  // a dependency
  // The same module compiles to the same bytes for every platform.
  const std::string pyc = "/lavatest_dep/__pycache__/__init__.cpython-311.pyc";
  EXPECT_EQ(lava::read_file(arm_deps + pyc),
            lava::read_file(site_of(t_.path / "x86", "deps", "3.11") + pyc));
  const std::string arm_nodeps = site_of(t_.path / "arm", "nodeps", "3.11");
  EXPECT_TRUE(fs::exists(arm_nodeps + "/lavatest_nodeps_only/__init__.py"));
  EXPECT_FALSE(fs::exists(arm_nodeps + "/lavatest_dep"));  // --no-deps
  EXPECT_TRUE(fs::is_empty(t_.path / "arm/deps/target"));  // pip's --target stays unused
  EXPECT_EQ(lines.size(), 4u);  // every job's output came back as its own
}

// The distributions a job installed: the names of its *.dist-info directories.
std::set<std::string> installed(const std::string& site) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(site)) {
    std::string n = e.path().filename().string();
    if (n.size() > 10 && n.substr(n.size() - 10) == ".dist-info") names.insert(n);
  }
  return names;
}

TEST_F(RealPipTest, MarkersAreEvaluatedForTheTargetEverywhere) {
  // Markers on requirement lines, in a file included with -r, and in a dependency's
  // Requires-Dist (with an extra).
  write(t_.path / "work/requirements.txt",
        "-r more-requirements.txt\n"
        "lavatest-pure; platform_machine == \"aarch64\" and python_version < \"3.10\"\n");
  write(t_.path / "work/more-requirements.txt", "lavatest-markers[more]\n");
  struct Case {
    PipTarget target;
    std::set<std::string> want;
  };
  const std::string markers = "lavatest_markers-1.0.0.dist-info";
  const std::string extra = "lavatest_extra_only-1.0.0.dist-info";
  std::vector<Case> cases = {
      {debian_target("linux/arm64", "aarch64", "3.9", "3.9.2"),
       {markers, extra, "lavatest_arm-1.0.0.dist-info", "lavatest_old-1.0.0.dist-info",
        "lavatest_pure-1.0.0.dist-info"}},
      {debian_target("linux/amd64", "x86_64", "3.9", "3.9.2"),
       {markers, extra, "lavatest_x86-1.0.0.dist-info", "lavatest_old-1.0.0.dist-info"}},
      {debian_target("linux/arm64", "aarch64", "3.13", "3.13.5"),
       {markers, extra, "lavatest_arm-1.0.0.dist-info", "lavatest_new-1.0.0.dist-info"}},
  };
  std::vector<PipJob> jobs;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto more = pip_jobs_for(cases[i].target, t_.path / "work/requirements.txt", "",
                             t_.path / std::to_string(i));
    jobs.insert(jobs.end(), more.begin(), more.end());
  }
  PipRun run;
  run.payload = "hello";
  PipOutcome outcome = run_pip_jobs(jobs, run);
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(
        installed(site_of(t_.path / std::to_string(i), "deps", cases[i].target.python_version)),
        cases[i].want)
        << cases[i].target.platform << " " << cases[i].target.python_version;
  // pip compiled nothing itself: it listed the modules for the byte-compiling step.
  EXPECT_EQ(outcome.host_implementation, "cpython");
  EXPECT_EQ(outcome.host_version.rfind("3.", 0), 0u) << outcome.host_version;
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_GT(outcome.modules[i], 0u);
    EXPECT_TRUE(lava::read_file(jobs[i].root.parent_path() / kModulesFile)
                    .find("/usr/local/lib/python" + cases[i].target.python_version +
                          "/dist-packages/lavatest_markers/__init__.py") != std::string::npos);
    EXPECT_FALSE(
        fs::exists(site_of(t_.path / std::to_string(i), "deps", cases[i].target.python_version) +
                   "/lavatest_markers/__pycache__"));
  }
}

TEST_F(RealPipTest, EveryPartOfAWheelGoesWhereTheTargetsPipPutsIt) {
  write(t_.path / "work/requirements.txt", "lavatest-data\nlavatest-ns-one\nlavatest-ns-two\n");
  PipTarget target = debian_target("linux/arm64", "aarch64", "3.11", "3.11.2");
  PipRun run;
  run.payload = "hello";
  auto jobs = pip_jobs_for(target, t_.path / "work/requirements.txt", "", t_.path / "s");
  run_pip_jobs(jobs, run);
  const fs::path root = t_.path / "s/deps/root";
  const std::string site = "usr/local/lib/python3.11/dist-packages";
  // pip wrote no package file into site-packages: they are in the job's spool, and only
  // the .dist-info directories (RECORD, INSTALLER, ...) are there.
  size_t dist_infos = 0;
  for (const auto& e : fs::directory_iterator(root / site)) {
    EXPECT_TRUE(e.path().extension() == ".dist-info") << e.path();
    dist_infos += e.path().extension() == ".dist-info";
  }
  EXPECT_EQ(dist_infos, 3u);
  PycCompileOutcome compiled = compile_staged(jobs, t_.path);
  // .data/scripts: "#!python" becomes the target's interpreter; other scripts stay as they are.
  EXPECT_EQ(lava::read_file(root / "usr/local/bin/lavatest-data-script"),
            "#!/usr/bin/python3\nimport lavatest_data\nprint(lavatest_data.NAME)\n");
  EXPECT_EQ(lava::read_file(root / "usr/local/bin/lavatest-data-sh"),
            "#!/bin/sh\necho lavatest-data-sh\n");
  EXPECT_TRUE((fs::status(root / "usr/local/bin/lavatest-data-script").permissions() &
               fs::perms::others_exec) != fs::perms::none);
  // Entry points, console and gui.
  for (const char* name : {"lavatest-data-cli", "lavatest-data-gui"}) {
    std::string script = lava::read_file(root / "usr/local/bin" / name);
    EXPECT_EQ(script.rfind("#!/usr/bin/python3\n", 0), 0u) << script;
    EXPECT_NE(script.find("from lavatest_data import main"), std::string::npos) << script;
    EXPECT_TRUE((fs::status(root / "usr/local/bin" / name).permissions() &
                 fs::perms::others_exec) != fs::perms::none);
  }
  EXPECT_EQ(lava::read_file(root / "usr/local/share/lavatest-data/hello.txt"),
            "hello from the data scheme\n");
  EXPECT_TRUE(fs::exists(root / "usr/include/python3.11/lavatest-data/lavatest_data.h"));
  EXPECT_TRUE(fs::exists(root / site / "lavatest_data_pure.py"));
  EXPECT_TRUE(fs::exists(root / site / "lavatest_data_plat.py"));
  EXPECT_TRUE(fs::exists(root / site / "lavatest_ns/one/__init__.py"));
  EXPECT_TRUE(fs::exists(root / site / "lavatest_ns/two/__init__.py"));
  EXPECT_FALSE(fs::exists(root / site / "lavatest_ns/__init__.py"));  // a namespace package
  EXPECT_EQ(lava::read_file(root / site / "lavatest_data-1.0.0.dist-info/INSTALLER"), "pip\n");
  // RECORD's paths are relative to the site directory in the image, pip's own way.
  std::string record = lava::read_file(root / site / "lavatest_data-1.0.0.dist-info/RECORD");
  EXPECT_NE(record.find("../../../bin/lavatest-data-cli,"), std::string::npos) << record;
  EXPECT_NE(record.find("../../../share/lavatest-data/hello.txt,"), std::string::npos) << record;
  EXPECT_NE(record.find("lavatest_data/__pycache__/__init__.cpython-311.pyc,"), std::string::npos)
      << record;
  EXPECT_EQ(record.find(t_.path.string()), std::string::npos) << record;
  // .pyc: hash-based, naming the module's path in the image.
  EXPECT_EQ(compiled.version.rfind("3.11.", 0), 0u);
  EXPECT_GT(compiled.compiled, 5u);
  std::string pyc =
      lava::read_file(root / site / "lavatest_data/sub/__pycache__/mod.cpython-311.pyc");
  ASSERT_GT(pyc.size(), 16u);
  EXPECT_EQ(pyc[4] & 0x3, 0x1) << "flags: hash-based, unchecked";
  EXPECT_NE(pyc.find("/" + site + "/lavatest_data/sub/mod.py"), std::string::npos);
  EXPECT_EQ(pyc.find(t_.path.string()), std::string::npos);
}

// Every file below `dir` whose name ends in `suffix`, relative.
std::set<std::string> files_below(const fs::path& dir, const std::string& suffix) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string p = e.path().string();
    if (p.size() >= suffix.size() &&
        p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.insert(fs::relative(e.path(), dir).string());
  }
  return out;
}

TEST_F(RealPipTest, RecordsAndPycFilesAreThoseTheTargetsOwnPipWrites) {
  // The oracle: the host's pip (Python 3.11, as the target) installing the same
  // requirements for itself, byte-compiling as pip does.
  write(t_.path / "work/requirements.txt",
        "lavatest-data\nlavatest-ns-one\nlavatest-ns-two\nlavatest-withdeps\n");
  const fs::path oracle = t_.path / "oracle";
  std::string cmd = "cd " + (t_.path / "work").string() +
                    " && PIP_CONFIG_FILE=/dev/null /usr/bin/python3 -m pip install -q "
                    "--disable-pip-version-check --root " +
                    oracle.string() +
                    " --prefix /usr/local --break-system-packages --no-warn-script-location "
                    "-r requirements.txt >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  fs::path oracle_site;  // Debian's pip puts --prefix /usr/local under <root>/usr/local/local
  for (const auto& e : fs::recursive_directory_iterator(oracle))
    if (e.path().filename() == "lavatest_data-1.0.0.dist-info")
      oracle_site = e.path().parent_path();
  ASSERT_FALSE(oracle_site.empty());

  PipTarget target = debian_target("linux/arm64", "aarch64", "3.11", "3.11.2");
  PipRun run;
  run.payload = "hello";
  auto jobs = pip_jobs_for(target, t_.path / "work/requirements.txt", "", t_.path / "s");
  run_pip_jobs(jobs, run);
  compile_staged(jobs, t_.path);
  const fs::path site = site_of(t_.path / "s", "deps", "3.11");

  EXPECT_EQ(files_below(site, ".pyc"), files_below(oracle_site, ".pyc"));
  const auto records = files_below(site, "RECORD");
  EXPECT_EQ(records, files_below(oracle_site, "RECORD"));
  EXPECT_GE(records.size(), 5u);
  for (const auto& record : records)  // "path,," rows for the .pyc files, sorted, CRLF
    EXPECT_EQ(lava::read_file(site / record), lava::read_file(oracle_site / record)) << record;
}

TEST_F(RealPipTest, NoWheelForTheTargetIsAClearErrorAboutThatJob) {
  write(t_.path / "work/requirements.txt", "lavatest-pure\n");
  write(t_.path / "work/requirements-nodeps.txt", "lavatest-native\n");
  PipTarget target = debian_target("linux/arm/v7", "armv7l", "3.11", "3.11.2");
  PipRun run;
  run.payload = "hello";
  run.log_file = "/var/log/pip.log";
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
    EXPECT_NE(m.find("/var/log/pip.log"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  testing::unspool(t_.path / "s/deps");
  EXPECT_TRUE(fs::exists(site_of(t_.path / "s", "deps", "3.11") + "/lavatest_pure/__init__.py"));
}

}  // namespace
}  // namespace lava::native
