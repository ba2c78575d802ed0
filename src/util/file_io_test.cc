#include "util/file_io.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace fs = std::filesystem;

TEST(FileIo, AtomicWriteReplacesAndLeavesNoTemp) {
  fs::path dir = fs::temp_directory_path() / ("lava-fileio-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::path f = dir / "sub" / "x.txt";
  lava::write_file_atomic(f, "one");
  lava::write_file_atomic(f, "two");
  EXPECT_EQ(lava::read_file(f), "two");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir / "sub")) ++entries;
  EXPECT_EQ(entries, 1);
  fs::remove_all(dir);
}

TEST(FileIo, ReadMissingNamesPath) {
  try {
    lava::read_file("/nonexistent/lava/file");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/lava/file"), std::string::npos);
  }
}
