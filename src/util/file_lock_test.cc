#include "util/file_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace lava {
namespace {

namespace fs = std::filesystem;

TEST(FileLock, SecondHolderWaitsAndSaysSo) {
  fs::path file = fs::temp_directory_path() / ("file-lock-" + std::to_string(::getpid())) / "l";
  fs::remove_all(file.parent_path());
  int ready[2], go[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(go), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = FileLock::acquire(file, "the test lock", {});
    char c = 'r';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(go[0], &c, 1);  // hold until the parent has seen the wait
    ::_exit(0);
  }
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  std::string said;
  std::thread release([&] {
    // Let the parent reach the wait before the child lets go.
    while (said.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    (void)!::write(go[1], "g", 1);
  });
  {
    auto lock = FileLock::acquire(file, "the test lock", [&](const std::string& l) { said = l; });
  }
  release.join();
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(said, "waiting for the test lock (held by pid " + std::to_string(child) + ")");
  fs::remove_all(file.parent_path());
}

TEST(FileLock, UncontendedSaysNothing) {
  fs::path file = fs::temp_directory_path() / ("file-lock-u-" + std::to_string(::getpid()));
  bool waited = false;
  {
    auto lock = FileLock::acquire(file, "x", [&](const std::string&) { waited = true; });
  }
  auto again = FileLock::acquire(file, "x", [&](const std::string&) { waited = true; });
  EXPECT_FALSE(waited);
  fs::remove(file);
}

}  // namespace
}  // namespace lava
