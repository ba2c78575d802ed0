#include "oci/tar_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "native/layer_writer.h"
#include "native/test_util.h"
#include "oci/digest.h"
#include "util/error.h"

namespace lava::native {
namespace {

namespace fs = std::filesystem;
using testing::read_tar;
using testing::TempDir;

std::string tar_of(const std::vector<oci::LayerEntry>& entries, int64_t mtime = 0) {
  std::string out;
  oci::write_tar(entries, mtime, [&](const char* p, size_t n) { out.append(p, n); });
  return out;
}

void write(const fs::path& p, const std::string& data, fs::perms perms) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
  fs::permissions(p, perms);
}

// The crash of issue 16: a NULL name reached strlen inside libarchive for any non-ASCII
// name. Valid UTF-8 is stored as UTF-8, invalid bytes under hdrcharset=BINARY, ASCII names
// as before (no pax header), and a reader gets the same bytes back.
TEST(TarStream, NonAsciiAndInvalidUtf8NamesAreStoredAsBytes) {
  std::string tar = tar_of({LayerEntry::directory("lava"),
                            LayerEntry::inline_file("lava/caf\xc3\xa9.py", "print(1)\n"),
                            LayerEntry::inline_file("lava/bad\xff.py", "x"),
                            LayerEntry::symlink("lava/l\xc3\xafnk", "caf\xc3\xa9.py"),
                            LayerEntry::inline_file("lava/plain.py", "p")});
  EXPECT_NE(tar.find("path=lava/caf\xc3\xa9.py\n"), std::string::npos);
  EXPECT_NE(tar.find("linkpath=caf\xc3\xa9.py\n"), std::string::npos);
  size_t bad = tar.find("path=lava/bad\xff.py\n");
  ASSERT_NE(bad, std::string::npos);
  size_t charset = tar.rfind("hdrcharset=BINARY\n", bad);
  ASSERT_NE(charset, std::string::npos);
  EXPECT_LT(bad - charset, 64u);
  EXPECT_EQ(tar.find("hdrcharset", bad), std::string::npos) << "only the invalid name is binary";
  EXPECT_EQ(tar.find("path=lava/plain.py"), std::string::npos) << "ASCII names need no pax header";
}

TEST(TarStream, SameEntriesInAnyOrderGiveTheSameBytes) {
  std::vector<oci::LayerEntry> a = {oci::LayerEntry::directory("lava"),
                                    oci::LayerEntry::inline_file("lava/b.txt", "bee"),
                                    oci::LayerEntry::inline_file("lava/a.txt", "ay"),
                                    oci::LayerEntry::symlink("lava/link", "a.txt")};
  std::vector<oci::LayerEntry> b = {a[3], a[1], a[0], a[2]};
  EXPECT_EQ(tar_of(a, 42), tar_of(b, 42));
  EXPECT_NE(tar_of(a, 42), tar_of(a, 43));
}

TEST(TarStream, EntriesAreSortedRootOwnedWithTheGivenMtimeAndNothingElse) {
  std::vector<oci::LayerEntry> entries = {
      oci::LayerEntry::inline_file("lava/z", "z", 0755),
      oci::LayerEntry::inline_file("lava/a.b", "x"), oci::LayerEntry::directory("lava/a"),
      oci::LayerEntry::inline_file("lava/a/c", "c"), oci::LayerEntry::directory("lava")};
  auto read = read_tar(tar_of(entries, 1700000000));
  std::vector<std::string> paths;
  for (const auto& e : read) paths.push_back(e.path);
  // Byte order of the paths: a parent always comes before what it holds.
  EXPECT_EQ(paths,
            (std::vector<std::string>{"lava/", "lava/a/", "lava/a.b", "lava/a/c", "lava/z"}));
  for (const auto& e : read) {
    EXPECT_EQ(e.uid, 0) << e.path;
    EXPECT_EQ(e.gid, 0) << e.path;
    EXPECT_EQ(e.mtime, 1700000000) << e.path;
    EXPECT_FALSE(e.has_atime) << e.path;
    EXPECT_FALSE(e.has_ctime) << e.path;
    EXPECT_EQ(e.uname, "") << e.path;
    EXPECT_EQ(e.gname, "") << e.path;
    EXPECT_EQ(e.xattrs, 0) << e.path;
  }
  EXPECT_EQ(read[0].type, static_cast<unsigned>(AE_IFDIR));
  EXPECT_EQ(read[0].mode, 0755u);
  EXPECT_EQ(read[4].mode, 0755u);
  EXPECT_EQ(read[4].data, "z");
}

TEST(TarStream, TreeFromDiskIgnoresHostModesTimesAndOwners) {
  TempDir one, two;
  for (const auto* t : {&one, &two}) {
    bool first = t == &one;
    write(t->path / "main.py", "print(1)\n", first ? fs::perms(0700) : fs::perms(0744));
    write(t->path / "data/notes.txt", "n", first ? fs::perms(0600) : fs::perms(0664));
    write(t->path / "data/deep/x", "x", fs::perms(0640));
    fs::permissions(t->path / "data", first ? fs::perms(0700) : fs::perms(0775));
    struct timespec times[2] = {{first ? 1 : 99999, 0}, {first ? 1 : 99999, 0}};
    ::utimensat(AT_FDCWD, (t->path / "main.py").c_str(), times, 0);
  }
  std::vector<oci::LayerEntry> a{oci::LayerEntry::directory("lava")},
      b{oci::LayerEntry::directory("lava")};
  add_tree(a, one.path, "lava");
  add_tree(b, two.path, "lava");
  std::string tar_a = tar_of(a), tar_b = tar_of(b);
  EXPECT_EQ(tar_a, tar_b);
  auto read = read_tar(tar_a);
  std::map<std::string, unsigned> modes;
  for (const auto& e : read) modes[e.path] = e.mode;
  EXPECT_EQ(modes["lava/main.py"], 0755u);  // user-executable: executable by all
  EXPECT_EQ(modes["lava/data/"], 0755u);
  EXPECT_EQ(modes["lava/data/notes.txt"], 0644u);
  EXPECT_EQ(modes["lava/data/deep/x"], 0644u);
}

TEST(TarStream, SpecialFilesAreRefused) {
  TempDir t;
  ASSERT_EQ(::mkfifo((t.path / "pipe").c_str(), 0644), 0);
  std::vector<oci::LayerEntry> entries;
  try {
    add_tree(entries, t.path, "lava");
    FAIL() << "a fifo was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pipe"), std::string::npos);
  }
}

TEST(TarStream, DuplicatePathsAreAnError) {
  EXPECT_THROW(
      tar_of({oci::LayerEntry::inline_file("a", "1"), oci::LayerEntry::inline_file("a", "2")}),
      Error);
}

TEST(TarStream, LongNamesGiveTheSameBytesInAnotherProcess) {
  // Long paths need pax records; their header names must not depend on the process.
  std::string deep = "lava/" + std::string(120, 'd') + "/" + std::string(150, 'f');
  std::vector<oci::LayerEntry> entries = {
      oci::LayerEntry::inline_file(deep, "content"),
      oci::LayerEntry::symlink("lava/l", std::string(200, 't'))};
  std::string here = tar_of(entries);
  TempDir t;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::ofstream(t.path / "child.tar", std::ios::binary) << tar_of(entries);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(lava::read_file(t.path / "child.tar"), here);
  auto read = read_tar(here);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].path, deep);
  EXPECT_EQ(read[1].link, std::string(200, 't'));
}

TEST(TarStream, FileThatChangesSizeWhileReadIsAnError) {
  TempDir t;
  // Bigger than one read, so the sink runs (and the file grows) before the last read.
  write(t.path / "f", std::string(3 << 20, 'x'), fs::perms(0644));
  oci::LayerEntry e = oci::LayerEntry::file_from("f", t.path / "f", 0644);
  bool grown = false;
  EXPECT_THROW(oci::write_tar({e}, 0,
                              [&](const char*, size_t) {
                                if (!grown)
                                  std::ofstream(t.path / "f", std::ios::app) << "and longer";
                                grown = true;
                              }),
               Error);
}

TEST(LayerWriter, DigestsMatchTheBlobAndItsDecompressedTar) {
  TempDir t;
  std::string big(3 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : big) c = static_cast<char>('a' + rng() % 4);
  write(t.path / "src/big.bin", big, fs::perms(0644));
  std::vector<oci::LayerEntry> entries{oci::LayerEntry::directory("lava")};
  add_tree(entries, t.path / "src", "lava");
  std::string expected_tar = tar_of(entries, 5);
  LayerWriteOptions options;
  options.mtime = 5;
  LayerBlob blob = write_layer(entries, t.path / "blobs", options);
  fs::path file = t.path / "blobs" / "sha256" / blob.digest.hex();
  std::string compressed = lava::read_file(file);
  EXPECT_EQ(static_cast<int64_t>(compressed.size()), blob.size);
  EXPECT_EQ(oci::sha256_of(compressed), blob.digest);
  std::string tar = testing::gunzip(compressed);
  EXPECT_EQ(tar, expected_tar);
  EXPECT_EQ(oci::sha256_of(tar), blob.diff_id);
  EXPECT_EQ(blob.tar_size, tar.size());
  // And once more: the same blob, whatever the thread count.
  options.threads = 1;
  LayerBlob again = write_layer(entries, t.path / "blobs2", options);
  EXPECT_EQ(again.digest, blob.digest);
  EXPECT_EQ(again.diff_id, blob.diff_id);
}

}  // namespace
}  // namespace lava::native
