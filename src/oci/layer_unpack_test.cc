#include "oci/layer_unpack.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "oci/test_tar.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::oci {
namespace {

namespace fs = std::filesystem;
using lava::testing::TarEntry;

class LayerUnpackTest : public ::testing::Test {
 protected:
  LayerUnpackTest() : dir_(TempDir::create("lava-unpack-test-")) {
    fs::create_directories(root());
    fs::create_directories(outside());
  }
  fs::path root() const { return dir_.path / "root"; }
  fs::path outside() const { return dir_.path / "outside"; }
  void layer(const std::vector<TarEntry>& entries) {
    fs::path blob = dir_.path / ("layer" + std::to_string(++n_));
    std::ofstream(blob, std::ios::binary) << lava::testing::make_tar(entries);
    unpack_layer(blob, root(), "layer " + std::to_string(n_));
  }
  static TarEntry dir(std::string name, int mode = 0755) {
    TarEntry e(std::move(name), "");
    e.directory = true;
    e.mode = mode;
    return e;
  }
  static TarEntry link(std::string name, std::string target) {
    TarEntry e(std::move(name), "");
    e.hardlink = std::move(target);
    return e;
  }
  std::string at(const std::string& path) const { return read_file(root() / path); }

  TempDir dir_;
  int n_ = 0;
};

TEST_F(LayerUnpackTest, UpperLayersReplaceAndWhiteoutsDelete) {
  layer({dir("etc"),
         {"etc/passwd", "old"},
         {"etc/group", "g"},
         {"opt/app/a", "a"},
         {"opt/app/sub/b", "b"},
         {"opt/keep", "k"}});
  layer({{"etc/passwd", "new"}, {"etc/.wh.group", ""}, {"opt/.wh.app", ""}});
  EXPECT_EQ(at("etc/passwd"), "new");
  EXPECT_FALSE(fs::exists(root() / "etc/group"));
  EXPECT_FALSE(fs::exists(root() / "opt/app"));
  EXPECT_FALSE(fs::exists(root() / "etc/.wh.group"));  // markers are not files
  EXPECT_EQ(at("opt/keep"), "k");
}

TEST_F(LayerUnpackTest, OpaqueDirectoryHidesLowerContentOnly) {
  layer({dir("etc"), {"etc/passwd", "old"}, {"etc/group", "old"}, {"etc/pass/x", "old"}});
  // This layer's own entries stay whatever their order around the marker.
  layer({{"etc/pass-new", "n"}, dir("etc"), {"etc/.wh..wh..opq", ""}, {"etc/passwd", "new"}});
  EXPECT_EQ(at("etc/passwd"), "new");
  EXPECT_EQ(at("etc/pass-new"), "n");
  EXPECT_FALSE(fs::exists(root() / "etc/group"));
  EXPECT_FALSE(fs::exists(root() / "etc/pass"));
}

TEST_F(LayerUnpackTest, SymlinksAndHardLinksAreMadeAsTheTarSays) {
  TarEntry exe("usr/bin/python3.11", "ELF");
  exe.mode = 04755;
  layer({dir("usr/bin"),
         exe,
         {"usr/bin/python3", "", "python3.11"},
         {"bin", "", "usr/bin"},
         link("usr/bin/python3.11-hard", "usr/bin/python3.11")});
  EXPECT_EQ(fs::read_symlink(root() / "usr/bin/python3"), "python3.11");
  EXPECT_EQ(fs::read_symlink(root() / "bin"), "usr/bin");
  EXPECT_EQ(at("usr/bin/python3.11-hard"), "ELF");
  EXPECT_EQ(fs::hard_link_count(root() / "usr/bin/python3.11"), 2u);
  struct stat st;
  ASSERT_EQ(::stat((root() / "usr/bin/python3.11").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);  // no set-uid bit
}

TEST_F(LayerUnpackTest, PathsThroughSymlinksStayInsideTheRoot) {
  const std::string out = outside().string();
  layer({{"abs", "", out},
         {"rel", "", "../../outside"},
         {"usr/lib/x", "x"},
         {"lib", "", "/usr/lib"}});
  // Through an absolute and a relative symlink that point outside on the host: both are
  // read as a chroot would, so the files land inside the root.
  layer({{"abs/escaped", "1"}, {"rel/escaped", "2"}, {"lib/y", "y"}});
  EXPECT_TRUE(fs::is_empty(outside()));
  EXPECT_EQ(at(out.substr(1) + "/escaped"), "1");
  EXPECT_EQ(at("outside/escaped"), "2");
  EXPECT_EQ(at("usr/lib/y"), "y");  // an absolute link to a directory of the root
  // A hard link to a path outside cannot reach it either.
  std::ofstream(outside() / "secret") << "s";
  EXPECT_THROW(layer({link("stolen", "../outside/secret")}), Error);
  EXPECT_FALSE(fs::exists(root() / "stolen"));
}

TEST_F(LayerUnpackTest, DotDotNeverLeavesTheRoot) {
  layer({{"../../escaped", "e"}, {"a/../../b", "b"}});
  EXPECT_FALSE(fs::exists(dir_.path / "escaped"));
  EXPECT_FALSE(fs::exists(outside().parent_path() / "b"));
  EXPECT_EQ(at("escaped"), "e");
  EXPECT_EQ(at("b"), "b");
}

TEST_F(LayerUnpackTest, AFileReplacesADirectoryAndTheReverse) {
  layer({{"opt/tree/a", "a"}, {"srv", "file"}});
  layer({{"opt/tree", "now a file"}, {"srv/inside", "i"}});
  EXPECT_EQ(at("opt/tree"), "now a file");
  EXPECT_EQ(at("srv/inside"), "i");
}

TEST_F(LayerUnpackTest, UnreadableModesStayUsableByTheOwner) {
  TarEntry secret("root/secret", "s");
  secret.mode = 0;
  layer({dir("root", 0500), secret});
  EXPECT_EQ(at("root/secret"), "s");
  EXPECT_EQ(fs::status(root() / "root").permissions() & fs::perms::owner_all, fs::perms::owner_all);
  fs::remove_all(root());  // removable without help
}

TEST_F(LayerUnpackTest, CorruptLayerIsAnErrorNamingIt) {
  fs::path blob = dir_.path / "bad";
  std::ofstream(blob) << "not a tar at all, not even close";
  try {
    unpack_layer(blob, root(), "base layer sha256:abc");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("base layer sha256:abc"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lava::oci
