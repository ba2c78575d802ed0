#include "project/payload.h"

#include <gtest/gtest.h>

#include "project/test_project.h"
#include "util/error.h"

namespace fs = std::filesystem;
using lava::project::discover_payloads;

TEST(Payload, FindsOnlyDockerDirsSortedFollowingSymlinks) {
  TempProject p;
  p.write("lava-payloads/b.docker/main.py", "");
  p.write("lava-payloads/a.docker/main.py", "");
  p.write("lava-payloads/x.pkg/main.py", "");
  p.write("lava-payloads/sub/y.docker/main.py", "");
  p.write("elsewhere/real/main.py", "");
  fs::create_directory_symlink(p.root / "elsewhere/real", p.root / "lava-payloads/c.docker");
  auto found = discover_payloads(p.root, "lava/dev/proj");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "a");
  EXPECT_EQ(found[2].name, "c");
  EXPECT_EQ(found[1].image, "lava/dev/proj/b");
}

TEST(Payload, PlainFileAndDanglingLinkAreErrors) {
  TempProject p;
  p.write("lava-payloads/f.docker", "not a dir");
  EXPECT_THROW(discover_payloads(p.root, "x"), lava::Error);
  fs::remove(p.root / "lava-payloads/f.docker");
  fs::create_directory_symlink(p.root / "missing", p.root / "lava-payloads/g.docker");
  try {
    discover_payloads(p.root, "x");
    FAIL();
  } catch (const lava::Error& e) {
    EXPECT_NE(std::string(e.what()).find("g.docker: dangling symlink"), std::string::npos);
  }
}

TEST(Payload, NoPayloadDirIsError) {
  TempProject p;
  fs::remove_all(p.root / "lava-payloads");
  EXPECT_THROW(discover_payloads(p.root, "x"), lava::Error);
}
