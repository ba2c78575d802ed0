#include "context/copy_tree.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <fstream>

#include "util/error.h"
#include "util/temp_dir.h"

namespace fs = std::filesystem;

namespace {
struct TempDir : lava::TempDir {
  TempDir() : lava::TempDir(lava::TempDir::create("lava-copy-")) {}
};
std::string error_of(const fs::path& from, const fs::path& to) {
  try {
    lava::context::copy_tree(from, to, "lava-payloads/x.docker");
  } catch (const lava::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(CopyTree, FollowsLinksAndNormalisesModes) {
  TempDir t;
  fs::create_directories(t.path / "src/sub");
  fs::create_directories(t.path / "outside");
  std::ofstream(t.path / "src/a.py") << "a";
  std::ofstream(t.path / "src/run.sh") << "#!/bin/sh";
  std::ofstream(t.path / "outside/linked.txt") << "l";
  fs::permissions(t.path / "src/a.py", static_cast<fs::perms>(0600));
  fs::permissions(t.path / "src/run.sh", static_cast<fs::perms>(0700));
  fs::permissions(t.path / "src/sub", static_cast<fs::perms>(0700));
  fs::create_symlink(t.path / "outside/linked.txt", t.path / "src/sub/link.txt");
  fs::create_directory_symlink(t.path / "outside", t.path / "src/dirlink");
  lava::context::copy_tree(t.path / "src", t.path / "dst", "p");
  EXPECT_EQ(fs::status(t.path / "dst/a.py").permissions(), static_cast<fs::perms>(0644));
  EXPECT_EQ(fs::status(t.path / "dst/run.sh").permissions(), static_cast<fs::perms>(0755));
  EXPECT_EQ(fs::status(t.path / "dst/sub").permissions(), static_cast<fs::perms>(0755));
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(t.path / "dst/sub/link.txt")));
  EXPECT_TRUE(fs::is_regular_file(t.path / "dst/dirlink/linked.txt"));
}

TEST(CopyTree, CycleIsAnError) {
  TempDir t;
  fs::create_directories(t.path / "src/a");
  fs::create_directory_symlink(t.path / "src", t.path / "src/a/loop");
  EXPECT_NE(
      error_of(t.path / "src", t.path / "dst").find("lava-payloads/x.docker/a/loop: symlink cycle"),
      std::string::npos);
}

TEST(CopyTree, DanglingLinkAndSocketAreErrors) {
  TempDir t;
  fs::create_directories(t.path / "src");
  fs::create_symlink(t.path / "nowhere", t.path / "src/bad");
  EXPECT_NE(error_of(t.path / "src", t.path / "dst").find("bad: dangling symlink"),
            std::string::npos);
  fs::remove(t.path / "src/bad");
  fs::remove_all(t.path / "dst");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = (t.path / "src/s.sock").string();
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_NE(error_of(t.path / "src", t.path / "dst").find("s.sock: is a socket"),
            std::string::npos);
  ::close(fd);
}

// Issue 16 item 8: a link leaving the project is followed (as cp -RL does) with one
// warning naming it and what it brought in; refused when the config says so; a link to
// the project itself is a loop named as such instead of an endless copy.
TEST(CopyTree, LinksLeavingTheProjectAreWarnedAboutOnce) {
  TempDir t;
  const fs::path project = t.path / "proj";
  fs::create_directories(project / "lava-payloads/x.docker/inside");
  fs::create_directories(t.path / "elsewhere/deeper");
  std::ofstream(t.path / "elsewhere/big.bin") << std::string(3000, 'x');
  std::ofstream(t.path / "elsewhere/deeper/more.bin") << std::string(72, 'y');
  fs::create_directory_symlink(t.path / "elsewhere/deeper", t.path / "elsewhere/nested");
  std::ofstream(project / "lava-payloads/x.docker/inside/f") << "f";
  fs::create_directory_symlink(t.path / "elsewhere", project / "lava-payloads/x.docker/data");
  fs::create_directory_symlink("inside", project / "lava-payloads/x.docker/own");
  lava::context::LinkPolicy policy;
  policy.project_root = project;
  auto warnings = lava::context::copy_tree(project / "lava-payloads/x.docker", t.path / "dst",
                                           "lava-payloads/x.docker", {}, policy);
  ASSERT_EQ(warnings.size(), 1u) << "one per link leaving the project, none for links inside";
  EXPECT_EQ(warnings[0], "lava-payloads/x.docker/data: link to " +
                             fs::canonical(t.path / "elsewhere").string() +
                             " outside the project followed: 3.1 KiB copied into the build "
                             "context");
  EXPECT_TRUE(fs::is_regular_file(t.path / "dst/data/nested/more.bin"));

  policy.follow_external = false;
  policy.refusal_hint = "docker.follow_external_links is false in config/dev.yaml";
  try {
    lava::context::copy_tree(project / "lava-payloads/x.docker", t.path / "dst2",
                             "lava-payloads/x.docker", {}, policy);
    FAIL() << "an external link was followed";
  } catch (const lava::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "lava-payloads/x.docker/data: link to " +
                  fs::canonical(t.path / "elsewhere").string() +
                  " leaves the project (docker.follow_external_links is false in "
                  "config/dev.yaml)");
  }
}

TEST(CopyTree, PayloadLinkToTheProjectIsALoopNamedAsSuch) {
  TempDir t;
  const fs::path project = t.path / "proj";
  fs::create_directories(project / "lava-payloads");
  fs::create_directories(project / "dist/dev/lava-payloads");
  fs::create_directory_symlink("..", project / "lava-payloads/up.docker");
  lava::context::LinkPolicy policy;
  policy.project_root = project;
  try {
    lava::context::copy_tree(project / "lava-payloads/up.docker",
                             project / "dist/dev/lava-payloads/.up.context-1",
                             "lava-payloads/up.docker", {}, policy);
    FAIL() << "the loop was copied";
  } catch (const lava::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "lava-payloads/up.docker: resolves to " + fs::canonical(project).string() +
                  ", which holds the build context being written (a loop); payload links must "
                  "not lead to the project or a directory holding it");
  }
  EXPECT_FALSE(fs::exists(project / "dist/dev/lava-payloads/.up.context-1"));
}
