#include "native/pyc_compile.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "native/test_util.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

const std::string kSite = "/usr/local/lib/python3.11/dist-packages";

// Jobs staged as pip's driver leaves them, compiled by the host's /usr/bin/python3 (the
// step's own logic does not depend on which interpreter runs it).
class PycCompileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3";
  }
  fs::path root(const std::string& job) const { return t_.path / job / "root"; }
  void source(const std::string& job, const std::string& path, const std::string& text,
              fs::perms perms = fs::perms(0644)) {
    fs::path p = root(job) / path.substr(1);
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    fs::permissions(p, perms);
  }
  void list(const std::string& job, const std::vector<std::string>& modules, bool end = true) {
    std::ofstream out(t_.path / job / kModulesFile, std::ios::app);
    if (fs::file_size(t_.path / job / kModulesFile) == 0)
      out << "{\"site\": \"" << kSite << "\"}\n";
    for (const auto& m : modules) out << "\"" << m << "\"\n";
    if (end) out << "null\n";
  }
  PycCompileRun run(std::vector<std::string> jobs) const {
    PycCompileRun r;
    r.python = "/usr/bin/python3";
    r.work = t_.path;
    r.jobs = std::move(jobs);
    r.workers = 2;
    r.what = "the host's python3";
    return r;
  }
  std::string pyc(const std::string& job, const std::string& dir, const std::string& name) const {
    return lava::read_file(root(job) / dir.substr(1) / "__pycache__" / (name + ".cpython-311.pyc"));
  }
  testing::TempDir t_;
};

TEST_F(PycCompileTest, FollowsTheListsAsPipWritesThem) {
  for (const char* job : {"0/deps", "1/deps"}) {
    fs::create_directories(t_.path / job);
    std::ofstream(t_.path / job / kModulesFile);  // created, nothing listed yet
  }
  PycCompileOutcome outcome;
  std::exception_ptr failure;
  std::thread compiling([&] {
    try {
      outcome = run_pyc_compile(run({"0/deps", "1/deps"}));
    } catch (...) {
      failure = std::current_exception();
    }
  });
  for (const char* job : {"0/deps", "1/deps"}) {
    source(job, kSite + "/pkg/__init__.py", "X = 1\n");
    source(job, kSite + "/pkg/exe.py", "Y = 2\n", fs::perms(0755));
    source(job, kSite + "/pkg/private.py", "Z = 3\n", fs::perms(0600));
    source(job, kSite + "/pkg/broken.py", "def (:\n");
    list(job, {kSite + "/pkg/__init__.py"}, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    list(job, {kSite + "/pkg/exe.py", kSite + "/pkg/private.py", kSite + "/pkg/broken.py"});
  }
  compiling.join();
  if (failure) std::rethrow_exception(failure);
  for (const char* job : {"0/deps", "1/deps"}) testing::unspool(t_.path / job);
  EXPECT_EQ(outcome.version.rfind("3.11.", 0), 0u);
  EXPECT_EQ(outcome.modules, 8u);
  EXPECT_EQ(outcome.compiled, 6u);  // not the module that does not compile
  EXPECT_FALSE(
      fs::exists(root("0/deps") / (kSite.substr(1) + "/pkg/__pycache__/broken.cpython-311.pyc")));
  // Compiled once, copied for the other platform: the same bytes, hash-based, the image path.
  const std::string a = pyc("0/deps", kSite + "/pkg", "__init__");
  EXPECT_EQ(a, pyc("1/deps", kSite + "/pkg", "__init__"));
  EXPECT_EQ(a[4] & 0x3, 0x1);
  EXPECT_NE(a.find(kSite + "/pkg/__init__.py"), std::string::npos);
  EXPECT_EQ(a.find(t_.path.string()), std::string::npos);
  // A .pyc has its source's mode as py_compile gives it, compiled or copied.
  for (const char* job : {"0/deps", "1/deps"}) {
    const fs::path cache = root(job) / (kSite.substr(1) + "/pkg/__pycache__");
    EXPECT_EQ(fs::status(cache / "exe.cpython-311.pyc").permissions(), fs::perms(0644)) << job;
    EXPECT_EQ(fs::status(cache / "private.cpython-311.pyc").permissions(), fs::perms(0600)) << job;
  }
}

TEST_F(PycCompileTest, CompilesModulesFromPipsSpool) {
  // pip's driver spools package files (spooled_files.h) and lists those modules by where
  // their bytes are: the .pyc files come out the same as from files, and go to a spool too.
  fs::create_directories(t_.path / "s/deps");
  const std::string one = "A = 1\n", two = "def (:\n", three = "B = 2\n";
  std::ofstream(t_.path / "s/deps" / kSpoolFile, std::ios::binary) << one << two << three;
  source("f/deps", kSite + "/pkg/one.py", one);
  auto spooled = [&](const std::string& name, size_t offset, size_t length, unsigned mode) {
    return "[\"" + kSite + "/pkg/" + name + "\", \"" + kSpoolFile + "\", " +
           std::to_string(offset) + ", " + std::to_string(length) + ", " + std::to_string(mode) +
           "]";
  };
  {
    std::ofstream out(t_.path / "s/deps" / kModulesFile);
    out << "{\"site\": \"" << kSite << "\"}\n"
        << spooled("one.py", 0, one.size(), 0644) << "\n"
        << spooled("broken.py", one.size(), two.size(), 0644) << "\n"
        << spooled("three.py", one.size() + two.size(), three.size(), 0755) << "\nnull\n";
  }
  list("f/deps", {kSite + "/pkg/one.py"});
  PycCompileOutcome outcome = run_pyc_compile(run({"s/deps", "f/deps"}));
  EXPECT_EQ(outcome.modules, 4u);
  EXPECT_EQ(outcome.compiled, 3u);
  // Nothing was written beside the modules: the .pyc files are in spools, listed.
  EXPECT_FALSE(fs::exists(root("f/deps") / (kSite.substr(1) + "/pkg/__pycache__")));
  auto entries = spooled_entries(t_.path / "s/deps");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].path, kSite.substr(1) + "/pkg/__pycache__/one.cpython-311.pyc");
  EXPECT_EQ(entries[1].path, kSite.substr(1) + "/pkg/__pycache__/three.cpython-311.pyc");
  EXPECT_EQ(entries[1].mode, 0644u);  // a .pyc is never executable
  testing::unspool(t_.path / "s/deps");
  testing::unspool(t_.path / "f/deps");
  // The same module from a file and from the spool: one compile, the same bytes.
  EXPECT_EQ(pyc("s/deps", kSite + "/pkg", "one"), pyc("f/deps", kSite + "/pkg", "one"));
  // And the bytes py_compile writes for that source, hash-based and unchecked.
  source("oracle", "/one.py", one);
  std::string cmd =
      "/usr/bin/python3 -c 'import py_compile; py_compile.compile(\"" +
      (root("oracle") / "one.py").string() + "\", cfile=\"" + (t_.path / "oracle.pyc").string() +
      "\", dfile=\"" + kSite +
      "/pkg/one.py\", invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_EQ(pyc("s/deps", kSite + "/pkg", "one"), lava::read_file(t_.path / "oracle.pyc"));
}

TEST_F(PycCompileTest, RecordGetsPipsRowsSorted) {
  source("j", kSite + "/pkg/__init__.py", "X = 1\n");
  source("j", "/usr/local/bin/tool.py", "print()\n");
  const fs::path record = root("j") / (kSite.substr(1) + "/pkg-1.0.dist-info/RECORD");
  fs::create_directories(record.parent_path());
  std::ofstream(record, std::ios::binary)
      << "../../../bin/tool.py,sha256=abc,8\r\npkg-1.0.dist-info/RECORD,,\r\n"
         "pkg/__init__.py,sha256=def,6\r\n";
  list("j", {kSite + "/pkg/__init__.py", "/usr/local/bin/tool.py"});
  EXPECT_EQ(run_pyc_compile(run({"j"})).compiled, 2u);
  EXPECT_EQ(lava::read_file(record),
            "../../../bin/__pycache__/tool.cpython-311.pyc,,\r\n"
            "../../../bin/tool.py,sha256=abc,8\r\n"
            "pkg-1.0.dist-info/RECORD,,\r\n"
            "pkg/__init__.py,sha256=def,6\r\n"
            "pkg/__pycache__/__init__.cpython-311.pyc,,\r\n");
}

TEST_F(PycCompileTest, StopsWaitingWhenPipFailed) {
  fs::create_directories(t_.path / "j");
  list("j", {}, false);  // pip never finished this list
  std::thread abort([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::ofstream(t_.path / kAbortFile) << "pip failed\n";
  });
  try {
    run_pyc_compile(run({"j"}));
    FAIL() << "it finished a list that never ended";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("stopped"), std::string::npos) << e.what();
  }
  abort.join();
}

}  // namespace
}  // namespace lava::native
