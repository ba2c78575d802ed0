#include "native/base_facts.h"

#include <gtest/gtest.h>

#include <fstream>

#include "native/test_util.h"
#include "oci/tar_stream.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;
using E = oci::LayerEntry;

std::string libc_binary(const std::string& version) {
  return std::string(4096, '\0') + "GNU C Library (GNU libc) stable release version " + version +
         ".\n" + std::string(4096, '\0');
}

const char* kDebianSite = "def getsitepackages():\n    # dist-packages on Debian\n";
const char* kStockSite = "def getsitepackages(prefixes=None):\n    'site-packages'\n";

class BaseFactsTest : public ::testing::Test {
 protected:
  BaseFacts facts(const std::vector<oci::LayerEntry>& entries, const std::string& path_env = "") {
    std::string tar;
    oci::write_tar(entries, 0, [&](const char* p, size_t n) { tar.append(p, n); });
    fs::path file = dir_.path / ("layer" + std::to_string(++n_));
    std::ofstream(file, std::ios::binary) << tar;
    oci::RootfsView view;
    view.apply_layer(file, oci::base_capture_policy(), "test layer");
    return inspect_rootfs(view, path_env, "test image");
  }
  testing::TempDir dir_;
  int n_ = 0;
};

TEST_F(BaseFactsTest, DebianBookworm) {
  E etc = E::directory("etc");
  E passwd = E::inline_file("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n", 0644);
  E local = E::directory("usr/local/lib/python3.11/dist-packages", 02775);
  local.gid = 50;
  auto f = facts(
      {etc, passwd, E::inline_file("etc/group", "root:x:0:\n"),
       E::inline_file("usr/lib/os-release", "PRETTY_NAME=\"Debian\"\nID=debian\n"),
       E::symlink("etc/os-release", "../usr/lib/os-release"), E::symlink("lib", "usr/lib"),
       E::inline_file("usr/lib/x86_64-linux-gnu/libc.so.6", libc_binary("2.36")),
       E::inline_file("usr/bin/python3.11", "ELF"), E::symlink("usr/bin/python3", "python3.11"),
       E::inline_file("usr/lib/python3.11/site.py", kDebianSite), local});
  EXPECT_EQ(f.os_id, "debian");
  EXPECT_EQ(f.libc, (LibcInfo{LibcInfo::Kind::kGlibc, 2, 36}));
  ASSERT_TRUE(f.python);
  EXPECT_EQ(f.python->executable, "/usr/bin/python3");
  EXPECT_EQ(f.python->version, "3.11");
  EXPECT_EQ(f.python->site_dir, "/usr/local/lib/python3.11/dist-packages");
  EXPECT_EQ(f.python->scripts_dir, "/usr/local/bin");
  EXPECT_EQ(f.python->layout, "debian");
  EXPECT_EQ(*f.passwd, "root:x:0:0:root:/root:/bin/bash\n");
  EXPECT_EQ(*f.group, "root:x:0:\n");
  EXPECT_EQ(f.meta.at("etc/passwd"), (PathMeta{0644, 0, 0}));
  EXPECT_EQ(f.meta.at("usr/local/lib/python3.11/dist-packages"), (PathMeta{02775, 0, 50}));
  EXPECT_EQ(BaseFacts::from_json(f.to_json()), f);
}

TEST_F(BaseFactsTest, OfficialPythonImageUsesItsPrefixFirstOnPath) {
  auto f = facts(
      {E::inline_file("usr/local/bin/python3.12", "ELF"),
       E::symlink("usr/local/bin/python3", "python3.12"),
       E::inline_file("usr/local/lib/python3.12/site.py", kStockSite),
       // Debian's own python is there too, but later on PATH.
       E::inline_file("usr/bin/python3.11", "ELF"), E::symlink("usr/bin/python3", "python3.11"),
       E::inline_file("usr/lib/python3.11/site.py", kDebianSite),
       E::inline_file("lib/x86_64-linux-gnu/libc.so.6", libc_binary("2.36"))},
      "/usr/local/bin:/usr/bin:/bin");
  ASSERT_TRUE(f.python);
  EXPECT_EQ(f.python->executable, "/usr/local/bin/python3");
  EXPECT_EQ(f.python->site_dir, "/usr/local/lib/python3.12/site-packages");
  EXPECT_EQ(f.python->scripts_dir, "/usr/local/bin");
  EXPECT_EQ(f.python->layout, "prefix");
}

TEST_F(BaseFactsTest, AlpineIsMuslWithSitePackagesUnderUsr) {
  auto f = facts(
      {E::inline_file("etc/os-release", "ID=alpine\n"),
       E::inline_file("lib/ld-musl-aarch64.so.1", "ELF"),
       E::inline_file(
           "lib/apk/db/installed",
           "C:Q1abc\nP:busybox\nV:1.36.1-r5\n\nC:Q1def\nP:musl\nA:aarch64\nV:1.2.4-r2\n"),
       E::inline_file("usr/bin/python3.11", "ELF"), E::symlink("usr/bin/python3", "python3.11"),
       E::inline_file("usr/lib/python3.11/site.py", kStockSite)});
  EXPECT_EQ(f.os_id, "alpine");
  EXPECT_EQ(f.libc, (LibcInfo{LibcInfo::Kind::kMusl, 1, 2}));
  EXPECT_EQ(f.python->site_dir, "/usr/lib/python3.11/site-packages");
  EXPECT_EQ(f.python->scripts_dir, "/usr/bin");
}

TEST_F(BaseFactsTest, AmazonLinuxStylePythonInstallsUnderUsrLocal) {
  auto f =
      facts({E::inline_file("etc/os-release", "NAME=\"Amazon Linux\"\nID=\"amzn\"\n"),
             E::inline_file("usr/lib64/libc.so.6", libc_binary("2.34")),
             E::symlink("usr/bin/python3", "python3.9"), E::inline_file("usr/bin/python3.9", "ELF"),
             E::inline_file("usr/lib64/python3.9/site.py",
                            "# RPM: add /usr/local\n    PREFIXES.insert(0, '/usr/local')\n")});
  EXPECT_EQ(f.os_id, "amzn");
  EXPECT_EQ(f.libc, (LibcInfo{LibcInfo::Kind::kGlibc, 2, 34}));
  EXPECT_EQ(f.python->site_dir, "/usr/local/lib/python3.9/site-packages");
  EXPECT_EQ(f.python->layout, "local-prefix");
}

TEST_F(BaseFactsTest, VirtualenvOnPathIsWherePackagesGo) {
  auto f = facts(
      {E::inline_file("usr/local/bin/python3.11", "ELF"),
       E::symlink("opt/venv/bin/python3", "/usr/local/bin/python3.11"),
       E::inline_file("opt/venv/pyvenv.cfg", "home = /usr/local/bin\nversion = 3.11.4\n"),
       E::inline_file("lib/libc-2.31.so", "ELF"), E::symlink("lib/libc.so.6", "libc-2.31.so")},
      "/opt/venv/bin:/usr/local/bin:/usr/bin");
  EXPECT_EQ(f.libc, (LibcInfo{LibcInfo::Kind::kGlibc, 2, 31}));
  EXPECT_EQ(f.python->executable, "/opt/venv/bin/python3");
  EXPECT_EQ(f.python->site_dir, "/opt/venv/lib/python3.11/site-packages");
  EXPECT_EQ(f.python->scripts_dir, "/opt/venv/bin");
  EXPECT_EQ(f.python->full_version, "3.11.4");  // pyvenv.cfg says
}

TEST_F(BaseFactsTest, FullVersionFromDpkgOrPatchlevel) {
  const std::string status =
      "Package: libpython3.9-minimal\nVersion: 3.9.2-1\n\n"
      "Package: python3.9-minimal\nStatus: install ok installed\nVersion: 3.9.2-1+deb11u2\n\n"
      "Package: python3-minimal\nVersion: 3.9.2-3\n";
  auto debian =
      facts({E::inline_file("usr/bin/python3.9", "ELF"), E::symlink("usr/bin/python3", "python3.9"),
             E::inline_file("usr/lib/python3.9/site.py", kDebianSite),
             E::inline_file("var/lib/dpkg/status", status)});
  EXPECT_EQ(debian.python->full_version, "3.9.2");
  auto official =
      facts({E::inline_file("usr/local/bin/python3.13", "ELF"),
             E::symlink("usr/local/bin/python3", "python3.13"),
             E::inline_file("usr/local/lib/python3.13/site.py", kStockSite),
             E::inline_file("usr/local/include/python3.13/patchlevel.h",
                            "#define PY_MINOR_VERSION 13\n#define PY_VERSION \"3.13.5\"\n")});
  EXPECT_EQ(official.python->full_version, "3.13.5");
  auto unknown =
      facts({E::inline_file("usr/bin/python3.9", "ELF"), E::symlink("usr/bin/python3", "python3.9"),
             E::inline_file("usr/lib/python3.9/site.py", kDebianSite)});
  EXPECT_EQ(unknown.python->full_version, "");
}

// The lava base images: /usr/local/bin/python3 is Debian's python3.12 while /usr/bin/python3
// is 3.9; packages go where the python3 first on PATH imports from.
TEST_F(BaseFactsTest, LavaBaseImagePython3OnPathIsTheOneThatCounts) {
  auto f =
      facts({E::inline_file("usr/bin/python3.9", "ELF"), E::symlink("usr/bin/python3", "python3.9"),
             E::inline_file("usr/bin/python3.12", "ELF"),
             E::symlink("usr/local/bin/python3", "/usr/bin/python3.12"),
             E::inline_file("usr/lib/python3.9/site.py", kDebianSite),
             E::inline_file("usr/lib/python3.12/site.py", kDebianSite)},
            "/usr/local/bin:/usr/bin:/bin");
  EXPECT_EQ(f.python->executable, "/usr/local/bin/python3");
  EXPECT_EQ(f.python->version, "3.12");
  EXPECT_EQ(f.python->site_dir, "/usr/local/lib/python3.12/dist-packages");
  EXPECT_EQ(f.python->scripts_dir, "/usr/local/bin");
}

TEST_F(BaseFactsTest, SiteDirectoryThroughASymlinkIsResolved) {
  auto f = facts({E::inline_file("usr/bin/python3.11", "ELF"),
                  E::symlink("usr/bin/python3", "python3.11"),
                  E::inline_file("usr/lib/python3.11/site.py", kDebianSite),
                  E::symlink("usr/local", "/opt/local"), E::directory("opt/local")});
  EXPECT_EQ(f.python->site_dir, "/opt/local/lib/python3.11/dist-packages");
  EXPECT_EQ(f.python->scripts_dir, "/opt/local/bin");
}

TEST_F(BaseFactsTest, NoPythonNoLibcNoPasswd) {
  auto f = facts({E::inline_file("bin/busybox", "ELF")});
  EXPECT_FALSE(f.python);
  EXPECT_EQ(f.libc.kind, LibcInfo::Kind::kUnknown);
  EXPECT_FALSE(f.passwd);
  EXPECT_FALSE(f.group);
}

TEST_F(BaseFactsTest, PythonWithoutAVersionAnywhereIsAnError) {
  EXPECT_THROW(facts({E::inline_file("usr/bin/python3", "ELF")}), Error);
}

}  // namespace
}  // namespace lava::native
