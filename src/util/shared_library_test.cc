#include "util/shared_library.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "util/background_start.h"
#include "util/error.h"

namespace lava {
namespace {

TEST(SharedLibrary, MissingLibraryNamesItAndItsPackage) {
  try {
    SharedLibrary::open("liblava-no-such-library.so.9", "lava-no-such-package");
    FAIL() << "opened a library that does not exist";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("liblava-no-such-library.so.9"), std::string::npos) << what;
    EXPECT_NE(what.find("apt-get install lava-no-such-package"), std::string::npos) << what;
  }
}

TEST(SharedLibrary, BindsSymbolsAndNamesAMissingOne) {
  const auto lib = SharedLibrary::open("libz.so.1", "zlib1g");
  const char* (*version)() = nullptr;
  lib.bind(version, "zlibVersion");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(std::string(version()).rfind("1.", 0), 0u) << version();
  void (*missing)() = nullptr;
  try {
    lib.bind(missing, "lava_no_such_symbol");
    FAIL() << "bound a symbol that does not exist";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("libz.so.1: has no lava_no_such_symbol"),
              std::string::npos)
        << e.what();
  }
}

TEST(BackgroundStart, EachNamedTaskRunsOnceAndFinishWaitsForIt) {
  static std::atomic<int> runs{0};
  for (int i = 0; i < 3; ++i)
    start_in_background("lava-test-task", [] {
      ++runs;
      throw Error("a failing task is left to the caller that needs it");
    });
  finish_background_starts();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_TRUE(background_starts_done());
}

}  // namespace
}  // namespace lava
