#include "util/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

#include "util/error.h"

namespace lava {
namespace {

namespace fs = std::filesystem;

TEST(TempDir, CreatedUniqueAndRemovedWithItsContents) {
  fs::path kept;
  {
    TempDir a = TempDir::create("lava-tempdir-test-");
    TempDir b = TempDir::create("lava-tempdir-test-");
    EXPECT_NE(a.path, b.path);
    ASSERT_TRUE(fs::is_directory(a.path));
    fs::create_directories(a.path / "x/y");
    std::ofstream(a.path / "x/y/f") << "data";
    kept = a.path;
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(TempDir, ReleaseKeepsTheDirectory) {
  fs::path p;
  {
    TempDir t = TempDir::create("lava-tempdir-test-");
    p = t.release();
    EXPECT_TRUE(t.path.empty());
  }
  EXPECT_TRUE(fs::is_directory(p));
  fs::remove_all(p);
}

TEST(TempDir, MoveTransfersOwnership) {
  TempDir outer;
  fs::path p;
  {
    TempDir inner = TempDir::create("lava-tempdir-test-");
    p = inner.path;
    outer = std::move(inner);
  }
  EXPECT_TRUE(fs::is_directory(p));
  outer.remove();
  EXPECT_FALSE(fs::exists(p));
}

TEST(TempDir, GuardsAPathThatDoesNotExistYet) {
  fs::path p = fs::temp_directory_path() / ("lava-tempdir-later-" + std::to_string(::getpid()));
  {
    TempDir t(p);
    fs::create_directories(p / "sub");
  }
  EXPECT_FALSE(fs::exists(p));
}

TEST(TempDir, AMissingParentIsAnErrorNamingIt) {
  try {
    TempDir::create("x-", "/nonexistent/lava-parent");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/lava-parent"), std::string::npos);
  }
}

}  // namespace
}  // namespace lava
