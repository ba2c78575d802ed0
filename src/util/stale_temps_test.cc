#include "util/stale_temps.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace lava {
namespace {

namespace fs = std::filesystem;

// A pid that certainly belongs to no process: above the kernel's pid_max.
constexpr long kDeadPid = 99999999;

TEST(StaleTemps, RecognisesOurTemporaryNames) {
  EXPECT_EQ(temp_owner_pid(".tmp-123-456"), 123);
  EXPECT_EQ(temp_owner_pid("build.json.tmp-77-1234567"), 77);
  EXPECT_EQ(temp_owner_pid("hello.dockerimg.tmp-9"), 9);
  EXPECT_EQ(temp_owner_pid(".hello.context-4242"), 4242);
  EXPECT_EQ(temp_owner_pid(".hello.oci.tmp-31"), 31);
  EXPECT_EQ(temp_owner_pid(".hello.oci.tmp-31.old"), 31);
  EXPECT_EQ(temp_owner_pid("pip-555-12345"), 555);
  EXPECT_FALSE(temp_owner_pid("hello.context"));
  EXPECT_FALSE(temp_owner_pid("hello.oci"));
  EXPECT_FALSE(temp_owner_pid("0a1b2c3d4e"));
  EXPECT_FALSE(temp_owner_pid("requirements.txt"));
  EXPECT_FALSE(temp_owner_pid(".tmp-0"));
}

TEST(StaleTemps, SweepsOnlyWhatDeadProcessesLeft) {
  fs::path root = fs::temp_directory_path() / ("stale-temps-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "blobs" / "sha256");
  fs::create_directories(root / "pip" / "deep");
  const std::string dead = std::to_string(kDeadPid), alive = std::to_string(::getpid());
  fs::create_directories(root / (".hello.context-" + dead) / "inner");
  fs::create_directories(root / (".hello.context-" + alive));
  std::ofstream(root / "blobs" / "sha256" / (".tmp-" + dead + "-1")) << "half";
  std::ofstream(root / "blobs" / "sha256" / (".tmp-" + alive + "-1")) << "in progress";
  std::ofstream(root / "blobs" / "sha256" / "abcdef") << "a blob";
  std::ofstream(root / "pip" / "deep" / (".tmp-" + dead + "-1")) << "pip's own";

  EXPECT_EQ(sweep_dead_temps(root, 3, {"pip"}), 2);
  EXPECT_FALSE(fs::exists(root / (".hello.context-" + dead)));
  EXPECT_TRUE(fs::exists(root / (".hello.context-" + alive)));
  EXPECT_FALSE(fs::exists(root / "blobs" / "sha256" / (".tmp-" + dead + "-1")));
  EXPECT_TRUE(fs::exists(root / "blobs" / "sha256" / (".tmp-" + alive + "-1")));
  EXPECT_TRUE(fs::exists(root / "blobs" / "sha256" / "abcdef"));
  EXPECT_TRUE(fs::exists(root / "pip" / "deep" / (".tmp-" + dead + "-1")));
  fs::remove_all(root);
}

}  // namespace
}  // namespace lava
