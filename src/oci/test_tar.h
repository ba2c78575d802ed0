// Tests only: small tar archives built in memory with libarchive.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <vector>

namespace lava::testing {

struct TarEntry {
  TarEntry(std::string n, std::string d, std::string link = "")
      : name(std::move(n)), data(std::move(d)), symlink(std::move(link)) {}
  std::string name;
  std::string data;
  std::string symlink;  // when set, a symlink to this target
  int mode = 0644;
  std::string hardlink;    // when set, a hard link to this path
  bool directory = false;  // a directory (data ignored)
};

inline std::string make_tar(const std::vector<TarEntry>& entries) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(
      a, &out, nullptr,
      [](struct archive*, void* client, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const auto& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_mtime(entry, 0, 0);
    if (!e.hardlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, e.hardlink.c_str());
      archive_entry_set_perm(entry, e.mode);
      archive_write_header(a, entry);
    } else if (e.directory) {
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, e.mode);
      archive_write_header(a, entry);
    } else if (!e.symlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.symlink.c_str());
      archive_entry_set_perm(entry, 0777);
      archive_write_header(a, entry);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, e.mode);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
      archive_write_header(a, entry);
      archive_write_data(a, e.data.data(), e.data.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

}  // namespace lava::testing
