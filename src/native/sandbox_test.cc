#include "native/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "native/base_rootfs.h"
#include "native/native_build.h"
#include "native/pyc_step.h"
#include "native/test_util.h"
#include "oci/tar_stream.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;

bool has(const std::vector<std::string>& a, const std::vector<std::string>& seq) {
  return std::search(a.begin(), a.end(), seq.begin(), seq.end()) != a.end();
}

TEST(Sandbox, SeesOnlyTheRootReadOnlyAndTheWorkNoNetwork) {
  Sandbox s{"/cache/rootfs/root", "/tmp/pip-1/staging", {}};
  auto a = sandbox_argv("/usr/bin/bwrap", s, {"/usr/bin/python3", "-c", "pass"});
  EXPECT_EQ(a.front(), "/usr/bin/bwrap");
  EXPECT_TRUE(has(a, {"--unshare-all"}));  // network included
  EXPECT_FALSE(has(a, {"--share-net"}));
  EXPECT_TRUE(has(a, {"--clearenv"}));
  EXPECT_TRUE(has(a, {"--ro-bind", "/cache/rootfs/root", "/"}));
  EXPECT_TRUE(has(a, {"--bind", "/tmp/pip-1/staging", kSandboxWork}));
  EXPECT_EQ(std::count(a.begin(), a.end(), "--bind"), 1);  // nothing else writable
  EXPECT_EQ(std::count(a.begin(), a.end(), "--ro-bind"), 1);
  EXPECT_TRUE(has(a, {"--", "/usr/bin/python3", "-c", "pass"}));
  EXPECT_EQ(a.back(), "pass");
}

TEST(Sandbox, AForeignProgramRunsUnderTheQemuBoundIn) {
  Sandbox s{"/r", "/w", "/usr/bin/qemu-aarch64-static"};
  auto a = sandbox_argv("bwrap", s, {"/usr/bin/python3", "-V"});
  EXPECT_TRUE(has(a, {"--ro-bind", "/usr/bin/qemu-aarch64-static", kSandboxQemu}));
  EXPECT_TRUE(has(a, {"--", kSandboxQemu, "/usr/bin/python3", "-V"}));
  EXPECT_EQ(qemu_static_name("arm64"), "qemu-aarch64-static");
  EXPECT_EQ(qemu_static_name("amd64"), "qemu-x86_64-static");
}

TEST(Sandbox, FindsProgramsOnPath) {
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  ::setenv("PATH", "/nonexistent:/bin:/usr/bin", 1);
  EXPECT_TRUE(find_program("sh").has_value());
  EXPECT_FALSE(find_program("lava-no-such-program").has_value());
  ::setenv("PATH", saved.c_str(), 1);
}

TEST(PycCompilerSetting, OptionThenEnvironmentThenAuto) {
  NativeOptions o;
  ::unsetenv("LAVA_PYC_COMPILER");
  EXPECT_EQ(pyc_compiler(o), PycCompiler::kAuto);
  ::setenv("LAVA_PYC_COMPILER", "target", 1);
  EXPECT_EQ(pyc_compiler(o), PycCompiler::kTarget);
  o.pyc_compiler = "none";
  EXPECT_EQ(pyc_compiler(o), PycCompiler::kNone);
  EXPECT_NE(bytecode_recipe(o), bytecode_recipe(NativeOptions{}));
  o.pyc_compiler = "fast";
  try {
    pyc_compiler(o);
    FAIL() << "accepted 'fast'";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "LAVA_PYC_COMPILER: 'fast' is not one of auto, sandbox, target, none");
  }
  ::unsetenv("LAVA_PYC_COMPILER");
}

TEST(BaseRootfs, UnpackedOnceIntoTheCacheWithTheSandboxMountPoints) {
  testing::TempDir t;
  std::string tar;
  oci::write_tar({oci::LayerEntry::directory("usr"), oci::LayerEntry::inline_file("usr/x", "x"),
                  oci::LayerEntry::symlink("tmp", "/var/tmp")},
                 0, [&](const char* p, size_t n) { tar.append(p, n); });
  const fs::path blob = t.path / "layer";
  std::ofstream(blob, std::ios::binary) << testing::gzip(tar);
  oci::Descriptor d = oci::Descriptor::of("application/vnd.oci.image.layer.v1.tar+gzip",
                                          oci::sha256_of(testing::gzip(tar)), 1);
  int asked = 0, said = 0;
  auto layer = [&](const oci::Descriptor&) {
    ++asked;
    return blob;
  };
  auto say = [&](const std::string&) { ++said; };
  fs::path root = unpacked_rootfs(t.path / "cache", {d}, layer, say, "base");
  EXPECT_EQ(lava::read_file(root / "usr/x"), "x");
  EXPECT_TRUE(fs::is_directory(root / "tmp"));  // a mount point, not the base's symlink
  EXPECT_TRUE(fs::is_directory(root / "proc"));
  EXPECT_TRUE(fs::is_directory(root / std::string(kSandboxWork).substr(1)));
  EXPECT_TRUE(fs::is_regular_file(root / std::string(kSandboxQemu).substr(1)));
  EXPECT_EQ(root.parent_path().parent_path(), t.path / "cache/native/rootfs-v1");
  EXPECT_EQ(unpacked_rootfs(t.path / "cache", {d}, layer, say, "base"), root);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(said, 1);
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(t.path / "cache/native/rootfs-v1")) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u);  // no temporary left
}

}  // namespace
}  // namespace lava::native
