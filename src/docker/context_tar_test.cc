#include "docker/context_tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "util/error.h"

namespace lava::docker {
namespace {

namespace fs = std::filesystem;

struct TarEntry {
  std::string name;
  mode_t type = 0;
  int perm = 0;
  int64_t uid = -1, gid = -1;
  std::string content, link;
};

// Reads the whole stream in small pieces, then parses it with libarchive's reader.
std::vector<TarEntry> read_all(ContextTarStream& s, size_t piece = 777) {
  std::string bytes;
  std::vector<char> buf(piece);
  for (size_t n; (n = s.read(buf.data(), buf.size())) > 0;) bytes.append(buf.data(), n);
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  std::vector<TarEntry> out;
  struct archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    TarEntry t;
    t.name = archive_entry_pathname(e);
    t.type = archive_entry_filetype(e);
    t.perm = archive_entry_perm(e);
    t.uid = archive_entry_uid(e);
    t.gid = archive_entry_gid(e);
    if (archive_entry_symlink(e)) t.link = archive_entry_symlink(e);
    char chunk[4096];
    for (la_ssize_t n; (n = archive_read_data(a, chunk, sizeof chunk)) > 0;)
      t.content.append(chunk, n);
    out.push_back(t);
  }
  archive_read_free(a);
  return out;
}

class ContextTar : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/lava-ctx-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& content, fs::perms perms) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << content;
    fs::permissions(dir_ / rel, perms);
  }
  fs::path dir_;
};

TEST_F(ContextTar, EntriesInByteOrderWithContentAndModes) {
  using fs::perms;
  write("b.txt", "bee", perms::owner_read | perms::owner_write);
  write("Dockerfile", "FROM scratch\n", perms::owner_read | perms::owner_write | perms::group_read);
  write("a/run.sh", "#!/bin/sh\n", perms::owner_all | perms::group_read | perms::others_exec);
  write("a/z/deep.bin", std::string(200000, '\x01'), perms::owner_read);
  fs::create_symlink("../b.txt", dir_ / "a" / "link");
  ContextTarStream s(dir_);
  EXPECT_EQ(s.entry_names(), (std::vector<std::string>{"Dockerfile", "a/", "a/link", "a/run.sh",
                                                       "a/z/", "a/z/deep.bin", "b.txt"}));
  auto entries = read_all(s);
  ASSERT_EQ(entries.size(), 7u);
  std::map<std::string, TarEntry> by;
  for (const auto& e : entries) {
    by[e.name] = e;
    EXPECT_EQ(e.uid, 0) << e.name;
    EXPECT_EQ(e.gid, 0) << e.name;
  }
  EXPECT_EQ(entries[0].name, "Dockerfile");
  EXPECT_EQ(by["Dockerfile"].content, "FROM scratch\n");
  EXPECT_EQ(by["Dockerfile"].perm, 0640);
  EXPECT_EQ(by["a/run.sh"].perm, 0741);
  EXPECT_EQ(by["a/z/deep.bin"].content, std::string(200000, '\x01'));
  EXPECT_EQ(by["a/link"].type, AE_IFLNK);
  EXPECT_EQ(by["a/link"].link, "../b.txt");
  EXPECT_EQ(by["a/z/"].type, AE_IFDIR);
}

// A valid UTF-8 name goes into the pax header as UTF-8, an invalid one as raw bytes under
// hdrcharset=BINARY (libarchive refused both before: "Can't translate pathname").
TEST_F(ContextTar, NonAsciiAndInvalidUtf8NamesAreStoredAsBytes) {
  write("caf\xc3\xa9.py", "print(1)\n", fs::perms::owner_read);
  write("bad\xff.py", "x", fs::perms::owner_read);
  ContextTarStream s(dir_);
  std::string bytes;
  char buf[4096];
  for (size_t n; (n = s.read(buf, sizeof buf)) > 0;) bytes.append(buf, n);
  EXPECT_NE(bytes.find("path=caf\xc3\xa9.py\n"), std::string::npos);
  size_t bad = bytes.find("path=bad\xff.py\n");
  ASSERT_NE(bad, std::string::npos);
  size_t charset = bytes.rfind("hdrcharset=BINARY\n", bad);
  ASSERT_NE(charset, std::string::npos);
  EXPECT_LT(bad - charset, 64u) << "hdrcharset belongs to the same pax header";
  EXPECT_NE(bytes.find("print(1)"), std::string::npos);
}

TEST_F(ContextTar, SameTreeSameBytes) {
  write("x", "1", fs::perms::owner_read);
  write("y/z", "2", fs::perms::owner_read);
  auto bytes = [&] {
    ContextTarStream s(dir_);
    std::string out;
    char buf[100];
    for (size_t n; (n = s.read(buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
  };
  EXPECT_EQ(bytes(), bytes());
}

TEST_F(ContextTar, ExtraFilesReplaceAndAdd) {
  write("Dockerfile", "original", fs::perms::owner_read);
  write("keep", "k", fs::perms::owner_read);
  ContextTarStream s(dir_, {{"Dockerfile", "rendered"}, {"sub/extra", "e"}});
  auto entries = read_all(s, 3);
  std::map<std::string, std::string> content;
  for (const auto& e : entries) content[e.name] = e.content;
  EXPECT_EQ(content.size(), 3u);
  EXPECT_EQ(content["Dockerfile"], "rendered");
  EXPECT_EQ(content["sub/extra"], "e");
  EXPECT_EQ(content["keep"], "k");
}

TEST_F(ContextTar, EmptyDirectoryGivesValidEmptyTar) {
  ContextTarStream s(dir_);
  EXPECT_TRUE(read_all(s).empty());
}

TEST_F(ContextTar, SocketIsAnErrorNamingIt) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = (dir_ / "sock").string();
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  try {
    ContextTarStream s(dir_);
    ADD_FAILURE() << "a socket was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  close(fd);
}

TEST(ContextTarMissing, NotADirectory) {
  EXPECT_THROW(ContextTarStream("/nonexistent/lava-ctx"), Error);
}

}  // namespace
}  // namespace lava::docker
