#include "util/libarchive.h"

#include "util/shared_library.h"

namespace lava {

namespace {

Libarchive load() {
  // The runtime name of Debian's libarchive13.
  const auto lib = SharedLibrary::open("libarchive.so.13", "libarchive13");
  Libarchive api{};
  lib.bind(api.entry_clear, "archive_entry_clear");
  lib.bind(api.entry_filetype, "archive_entry_filetype");
  lib.bind(api.entry_free, "archive_entry_free");
  lib.bind(api.entry_gid, "archive_entry_gid");
  lib.bind(api.entry_hardlink, "archive_entry_hardlink");
  lib.bind(api.entry_new, "archive_entry_new");
  lib.bind(api.entry_pathname, "archive_entry_pathname");
  lib.bind(api.entry_pathname_utf8, "archive_entry_pathname_utf8");
  lib.bind(api.entry_perm, "archive_entry_perm");
  lib.bind(api.entry_set_filetype, "archive_entry_set_filetype");
  lib.bind(api.entry_set_gid, "archive_entry_set_gid");
  lib.bind(api.entry_set_mtime, "archive_entry_set_mtime");
  lib.bind(api.entry_set_pathname, "archive_entry_set_pathname");
  lib.bind(api.entry_set_pathname_utf8, "archive_entry_set_pathname_utf8");
  lib.bind(api.entry_set_perm, "archive_entry_set_perm");
  lib.bind(api.entry_set_size, "archive_entry_set_size");
  lib.bind(api.entry_set_symlink, "archive_entry_set_symlink");
  lib.bind(api.entry_set_symlink_utf8, "archive_entry_set_symlink_utf8");
  lib.bind(api.entry_set_uid, "archive_entry_set_uid");
  lib.bind(api.entry_size, "archive_entry_size");
  lib.bind(api.entry_symlink, "archive_entry_symlink");
  lib.bind(api.entry_symlink_utf8, "archive_entry_symlink_utf8");
  lib.bind(api.entry_uid, "archive_entry_uid");
  lib.bind(api.error_string, "archive_error_string");
  lib.bind(api.read_data, "archive_read_data");
  lib.bind(api.read_data_block, "archive_read_data_block");
  lib.bind(api.read_free, "archive_read_free");
  lib.bind(api.read_new, "archive_read_new");
  lib.bind(api.read_next_header, "archive_read_next_header");
  lib.bind(api.read_open, "archive_read_open");
  lib.bind(api.read_open_filename, "archive_read_open_filename");
  lib.bind(api.read_support_filter_all, "archive_read_support_filter_all");
  lib.bind(api.read_support_filter_gzip, "archive_read_support_filter_gzip");
  lib.bind(api.read_support_filter_zstd, "archive_read_support_filter_zstd");
  lib.bind(api.read_support_format_tar, "archive_read_support_format_tar");
  lib.bind(api.write_close, "archive_write_close");
  lib.bind(api.write_data, "archive_write_data");
  lib.bind(api.write_finish_entry, "archive_write_finish_entry");
  lib.bind(api.write_free, "archive_write_free");
  lib.bind(api.write_header, "archive_write_header");
  lib.bind(api.write_new, "archive_write_new");
  lib.bind(api.write_open, "archive_write_open");
  lib.bind(api.write_open2, "archive_write_open2");
  lib.bind(api.write_open_fd, "archive_write_open_fd");
  lib.bind(api.write_set_bytes_in_last_block, "archive_write_set_bytes_in_last_block");
  lib.bind(api.write_set_bytes_per_block, "archive_write_set_bytes_per_block");
  lib.bind(api.write_set_format_pax_restricted, "archive_write_set_format_pax_restricted");
  lib.bind(api.set_error, "archive_set_error");
  return api;
}

}  // namespace

const Libarchive& libarchive() {
  return load_once<Libarchive, load>();
}

void preload_libarchive() {
  preload<Libarchive, load>("libarchive");
}

}  // namespace lava
