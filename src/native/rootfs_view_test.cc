#include "oci/rootfs_view.h"

#include <gtest/gtest.h>

#include <fstream>

#include "native/test_util.h"
#include "oci/tar_stream.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

// Builds a view from layers given as entry lists (written as gzip tars, as in images).
class RootfsViewTest : public ::testing::Test {
 protected:
  void add_layer(const std::vector<oci::LayerEntry>& entries, bool gzipped = true) {
    std::string tar;
    oci::write_tar(entries, 0, [&](const char* p, size_t n) { tar.append(p, n); });
    fs::path file = dir_.path / ("layer" + std::to_string(++layers_));
    std::ofstream(file, std::ios::binary) << (gzipped ? testing::gzip(tar) : tar);
    view_.apply_layer(file, oci::base_capture_policy(), "layer " + std::to_string(layers_));
  }
  std::string content(const std::string& path) {
    const oci::RootfsNode* n = view_.lookup(path);
    return n && n->content ? *n->content : "<none>";
  }

  testing::TempDir dir_;
  int layers_ = 0;
  oci::RootfsView view_;
};

using E = oci::LayerEntry;

TEST_F(RootfsViewTest, UpperLayersReplaceFiles) {
  add_layer({E::directory("etc"), E::inline_file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")});
  add_layer({E::inline_file("etc/passwd", "root:x:0:0::/root:/bin/bash\n")}, false);
  EXPECT_EQ(content("/etc/passwd"), "root:x:0:0::/root:/bin/bash\n");
}

TEST_F(RootfsViewTest, WhiteoutDeletesAFileOrATree) {
  add_layer({E::inline_file("etc/group", "g"), E::inline_file("opt/app/a", "a"),
             E::inline_file("opt/app/sub/b", "b"), E::inline_file("opt/keep", "k")});
  add_layer({E::inline_file("etc/.wh.group", ""), E::inline_file("opt/.wh.app", "")});
  EXPECT_EQ(view_.find("etc/group"), nullptr);
  EXPECT_EQ(view_.find("opt/app/a"), nullptr);
  EXPECT_EQ(view_.find("opt/app/sub/b"), nullptr);
  EXPECT_NE(view_.find("opt/keep"), nullptr);
  EXPECT_EQ(view_.find("etc/.wh.group"), nullptr);  // markers are not files
}

TEST_F(RootfsViewTest, OpaqueDirectoryHidesLowerContentOnly) {
  add_layer({E::directory("etc"), E::inline_file("etc/passwd", "old"),
             E::inline_file("etc/group", "old")});
  add_layer({E::directory("etc"), E::inline_file("etc/.wh..wh..opq", ""),
             E::inline_file("etc/passwd", "new")});
  EXPECT_EQ(content("etc/passwd"), "new");
  EXPECT_EQ(view_.find("etc/group"), nullptr);
  EXPECT_TRUE(view_.is_directory("etc"));
}

TEST_F(RootfsViewTest, WhiteoutNeverDeletesWhatItsOwnLayerAdds) {
  add_layer({E::inline_file("etc/passwd", "lower")});
  add_layer({E::inline_file("etc/passwd", "same layer"), E::inline_file("etc/.wh.passwd", "")});
  EXPECT_EQ(content("etc/passwd"), "same layer");
}

TEST_F(RootfsViewTest, FileReplacingADirectoryDropsItsChildren) {
  add_layer({E::inline_file("srv/data/x", "x")});
  add_layer({E::symlink("srv/data", "/elsewhere")});
  EXPECT_EQ(view_.find("srv/data/x"), nullptr);
  EXPECT_EQ(view_.find("srv/data")->type, oci::RootfsNode::Type::kSymlink);
}

TEST_F(RootfsViewTest, ResolvesSymlinksOnTheWayAndAtTheEnd) {
  add_layer({E::symlink("bin", "usr/bin"), E::symlink("lib", "usr/lib"),
             E::inline_file("usr/bin/python3.11", "ELF"),
             E::symlink("usr/bin/python3", "python3.11"),
             E::symlink("usr/local/bin/py", "/usr/bin/python3"),
             E::symlink("usr/lib/up", "../bin/./python3")});
  EXPECT_EQ(view_.resolve("/bin/python3"), "usr/bin/python3.11");
  EXPECT_EQ(view_.resolve("bin/python3", false), "usr/bin/python3");
  EXPECT_EQ(view_.resolve("/usr/local/bin/py"), "usr/bin/python3.11");
  EXPECT_EQ(view_.resolve("/lib/up"), "usr/bin/python3.11");
  EXPECT_EQ(view_.resolve("/lib/missing/more"), "usr/lib/missing/more");
  EXPECT_EQ(view_.lookup("/bin/python3")->type, oci::RootfsNode::Type::kFile);
  EXPECT_EQ(content("/bin/python3"), "<none>");  // not a file the policy keeps
}

TEST_F(RootfsViewTest, SymlinkLoopIsAnError) {
  add_layer({E::symlink("a", "b"), E::symlink("b", "a")});
  EXPECT_THROW(view_.resolve("a/x"), Error);
}

TEST_F(RootfsViewTest, ChildrenIncludeImpliedDirectoriesOnce) {
  add_layer({E::inline_file("d/b", "1"), E::inline_file("d/b.c", "2"),
             E::inline_file("d/b/x/y", "3"), E::inline_file("d/a/z", "4"),
             E::inline_file("e", "5")});
  EXPECT_EQ(view_.children("d"), (std::vector<std::string>{"a", "b", "b.c"}));
  EXPECT_EQ(view_.children(""), (std::vector<std::string>{"d", "e"}));
  EXPECT_TRUE(view_.is_directory("d/a"));
  EXPECT_FALSE(view_.is_directory("e"));
}

TEST_F(RootfsViewTest, FindsTheGlibcVersionInLibcSo6) {
  // The banner sits deep in the binary, past several read blocks.
  std::string libc(3 << 20, '\x7f');
  std::string banner = "GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n";
  libc.replace(libc.size() - 1000, banner.size(), banner);
  add_layer({E::inline_file("usr/lib/x86_64-linux-gnu/libc.so.6", libc)});
  const oci::RootfsNode* n = view_.find("usr/lib/x86_64-linux-gnu/libc.so.6");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->libc_version, "2.36");
  EXPECT_FALSE(n->content);  // scanned, not kept
}

TEST_F(RootfsViewTest, CorruptLayerIsAnErrorNamingIt) {
  fs::path bad = dir_.path / "bad";
  std::ofstream(bad, std::ios::binary) << testing::gzip("this is not a tar archive at all, no");
  try {
    view_.apply_layer(bad, oci::base_capture_policy(), "layer sha256:bad");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer sha256:bad"), std::string::npos);
  }
}

}  // namespace
}  // namespace lava::native
