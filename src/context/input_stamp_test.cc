#include "context/input_stamp.h"

#include <gtest/gtest.h>

#include "project/test_project.h"

namespace {

class InputStampTest : public ::testing::Test {
 protected:
  void SetUp() override {
    p_.write("config/dev.yaml", "realm: r1\nprefix: {docker_repo: x}\n");
    p_.write("lava-payloads/a.docker/main.py", "print(1)\n");
    p_.write("lava-payloads/a.docker/.dockerignore", "scratch/\n*.log\n!keep.log\n");
    p_.write("lava-payloads/a.docker/scratch/notes.txt", "1\n");
    p_.write("lava-payloads/a.docker/debug.log", "1\n");
    p_.write("lava-payloads/a.docker/keep.log", "1\n");
  }
  std::string stamp() {
    auto project = lava::project::open_project(p_.root, "dev");
    return lava::context::input_stamp(project, project.payloads.at(0), {});
  }
  TempProject p_;
};

TEST_F(InputStampTest, IgnoredFilesDoNotCount) {
  const std::string before = stamp();
  p_.write("lava-payloads/a.docker/scratch/notes.txt", "2\n");
  p_.write("lava-payloads/a.docker/scratch/new.txt", "new\n");
  p_.write("lava-payloads/a.docker/debug.log", "2\n");
  EXPECT_EQ(stamp(), before);
  p_.write("lava-payloads/a.docker/keep.log", "2\n");  // re-included by '!'
  const std::string kept = stamp();
  EXPECT_NE(kept, before);
  p_.write("lava-payloads/a.docker/.dockerignore", "scratch/\n");  // the rules themselves count
  EXPECT_NE(stamp(), kept);
}

}  // namespace
