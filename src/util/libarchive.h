// libarchive, loaded with dlopen when first needed instead of at process start
// (util/shared_library.h): through libxml2 it brings ICU and the shared C++ runtime, the
// largest part of the full binary's start-up. Commands that write or read tars start
// loading it on a background thread (preload_libarchive) so the load overlaps their first,
// local work.
//
// Call sites use lava::archive_api::write_new() and friends where they would call
// archive_write_new(); types and constants still come from <archive.h> and
// <archive_entry.h>.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace lava {

struct Libarchive {
  decltype(&::archive_entry_clear) entry_clear;
  decltype(&::archive_entry_filetype) entry_filetype;
  decltype(&::archive_entry_free) entry_free;
  decltype(&::archive_entry_gid) entry_gid;
  decltype(&::archive_entry_hardlink) entry_hardlink;
  decltype(&::archive_entry_new) entry_new;
  decltype(&::archive_entry_pathname) entry_pathname;
  decltype(&::archive_entry_pathname_utf8) entry_pathname_utf8;
  decltype(&::archive_entry_perm) entry_perm;
  decltype(&::archive_entry_set_filetype) entry_set_filetype;
  decltype(&::archive_entry_set_gid) entry_set_gid;
  decltype(&::archive_entry_set_mtime) entry_set_mtime;
  decltype(&::archive_entry_set_pathname) entry_set_pathname;
  decltype(&::archive_entry_set_pathname_utf8) entry_set_pathname_utf8;
  decltype(&::archive_entry_set_perm) entry_set_perm;
  decltype(&::archive_entry_set_size) entry_set_size;
  decltype(&::archive_entry_set_symlink) entry_set_symlink;
  decltype(&::archive_entry_set_symlink_utf8) entry_set_symlink_utf8;
  decltype(&::archive_entry_set_uid) entry_set_uid;
  decltype(&::archive_entry_size) entry_size;
  decltype(&::archive_entry_symlink) entry_symlink;
  decltype(&::archive_entry_symlink_utf8) entry_symlink_utf8;
  decltype(&::archive_entry_uid) entry_uid;
  decltype(&::archive_error_string) error_string;
  decltype(&::archive_read_data) read_data;
  decltype(&::archive_read_data_block) read_data_block;
  decltype(&::archive_read_free) read_free;
  decltype(&::archive_read_new) read_new;
  decltype(&::archive_read_next_header) read_next_header;
  decltype(&::archive_read_open) read_open;
  decltype(&::archive_read_open_filename) read_open_filename;
  decltype(&::archive_read_support_filter_all) read_support_filter_all;
  decltype(&::archive_read_support_filter_gzip) read_support_filter_gzip;
  decltype(&::archive_read_support_filter_zstd) read_support_filter_zstd;
  decltype(&::archive_read_support_format_tar) read_support_format_tar;
  decltype(&::archive_write_close) write_close;
  decltype(&::archive_write_data) write_data;
  decltype(&::archive_write_finish_entry) write_finish_entry;
  decltype(&::archive_write_free) write_free;
  decltype(&::archive_write_header) write_header;
  decltype(&::archive_write_new) write_new;
  decltype(&::archive_write_open) write_open;
  decltype(&::archive_write_open2) write_open2;
  decltype(&::archive_write_open_fd) write_open_fd;
  decltype(&::archive_write_set_bytes_in_last_block) write_set_bytes_in_last_block;
  decltype(&::archive_write_set_bytes_per_block) write_set_bytes_per_block;
  decltype(&::archive_write_set_format_pax_restricted) write_set_format_pax_restricted;
  decltype(&::archive_set_error) set_error;
};

// libarchive.so.13 loaded, once per process (waiting for a preload under way). Throws
// lava::Error naming the library when it cannot be loaded.
const Libarchive& libarchive();

// Starts libarchive() on a background thread and returns at once. Harmless to call twice.
void preload_libarchive();

}  // namespace lava

namespace lava::archive_api {

template <class... A>
auto entry_clear(A... a) {
  return lava::libarchive().entry_clear(a...);
}
template <class... A>
auto entry_filetype(A... a) {
  return lava::libarchive().entry_filetype(a...);
}
template <class... A>
auto entry_free(A... a) {
  return lava::libarchive().entry_free(a...);
}
template <class... A>
auto entry_gid(A... a) {
  return lava::libarchive().entry_gid(a...);
}
template <class... A>
auto entry_hardlink(A... a) {
  return lava::libarchive().entry_hardlink(a...);
}
template <class... A>
auto entry_new(A... a) {
  return lava::libarchive().entry_new(a...);
}
template <class... A>
auto entry_pathname(A... a) {
  return lava::libarchive().entry_pathname(a...);
}
template <class... A>
auto entry_pathname_utf8(A... a) {
  return lava::libarchive().entry_pathname_utf8(a...);
}
template <class... A>
auto entry_perm(A... a) {
  return lava::libarchive().entry_perm(a...);
}
template <class... A>
auto entry_set_filetype(A... a) {
  return lava::libarchive().entry_set_filetype(a...);
}
template <class... A>
auto entry_set_gid(A... a) {
  return lava::libarchive().entry_set_gid(a...);
}
template <class... A>
auto entry_set_mtime(A... a) {
  return lava::libarchive().entry_set_mtime(a...);
}
template <class... A>
auto entry_set_pathname(A... a) {
  return lava::libarchive().entry_set_pathname(a...);
}
template <class... A>
auto entry_set_pathname_utf8(A... a) {
  return lava::libarchive().entry_set_pathname_utf8(a...);
}
template <class... A>
auto entry_set_perm(A... a) {
  return lava::libarchive().entry_set_perm(a...);
}
template <class... A>
auto entry_set_size(A... a) {
  return lava::libarchive().entry_set_size(a...);
}
template <class... A>
auto entry_set_symlink(A... a) {
  return lava::libarchive().entry_set_symlink(a...);
}
template <class... A>
auto entry_set_symlink_utf8(A... a) {
  return lava::libarchive().entry_set_symlink_utf8(a...);
}
template <class... A>
auto entry_set_uid(A... a) {
  return lava::libarchive().entry_set_uid(a...);
}
template <class... A>
auto entry_size(A... a) {
  return lava::libarchive().entry_size(a...);
}
template <class... A>
auto entry_symlink(A... a) {
  return lava::libarchive().entry_symlink(a...);
}
template <class... A>
auto entry_symlink_utf8(A... a) {
  return lava::libarchive().entry_symlink_utf8(a...);
}
template <class... A>
auto entry_uid(A... a) {
  return lava::libarchive().entry_uid(a...);
}
template <class... A>
auto error_string(A... a) {
  return lava::libarchive().error_string(a...);
}
template <class... A>
auto read_data(A... a) {
  return lava::libarchive().read_data(a...);
}
template <class... A>
auto read_data_block(A... a) {
  return lava::libarchive().read_data_block(a...);
}
template <class... A>
auto read_free(A... a) {
  return lava::libarchive().read_free(a...);
}
template <class... A>
auto read_new(A... a) {
  return lava::libarchive().read_new(a...);
}
template <class... A>
auto read_next_header(A... a) {
  return lava::libarchive().read_next_header(a...);
}
template <class... A>
auto read_open(A... a) {
  return lava::libarchive().read_open(a...);
}
template <class... A>
auto read_open_filename(A... a) {
  return lava::libarchive().read_open_filename(a...);
}
template <class... A>
auto read_support_filter_all(A... a) {
  return lava::libarchive().read_support_filter_all(a...);
}
template <class... A>
auto read_support_filter_gzip(A... a) {
  return lava::libarchive().read_support_filter_gzip(a...);
}
template <class... A>
auto read_support_filter_zstd(A... a) {
  return lava::libarchive().read_support_filter_zstd(a...);
}
template <class... A>
auto read_support_format_tar(A... a) {
  return lava::libarchive().read_support_format_tar(a...);
}
template <class... A>
auto write_close(A... a) {
  return lava::libarchive().write_close(a...);
}
template <class... A>
auto write_data(A... a) {
  return lava::libarchive().write_data(a...);
}
template <class... A>
auto write_finish_entry(A... a) {
  return lava::libarchive().write_finish_entry(a...);
}
template <class... A>
auto write_free(A... a) {
  return lava::libarchive().write_free(a...);
}
template <class... A>
auto write_header(A... a) {
  return lava::libarchive().write_header(a...);
}
template <class... A>
auto write_new(A... a) {
  return lava::libarchive().write_new(a...);
}
template <class... A>
auto write_open(A... a) {
  return lava::libarchive().write_open(a...);
}
template <class... A>
auto write_open2(A... a) {
  return lava::libarchive().write_open2(a...);
}
template <class... A>
auto write_open_fd(A... a) {
  return lava::libarchive().write_open_fd(a...);
}
template <class... A>
auto write_set_bytes_in_last_block(A... a) {
  return lava::libarchive().write_set_bytes_in_last_block(a...);
}
template <class... A>
auto write_set_bytes_per_block(A... a) {
  return lava::libarchive().write_set_bytes_per_block(a...);
}
template <class... A>
auto write_set_format_pax_restricted(A... a) {
  return lava::libarchive().write_set_format_pax_restricted(a...);
}

// archive_set_error with its printf-style message fixed to one string.
inline void set_error(struct archive* a, int error_number, const char* message) {
  lava::libarchive().set_error(a, error_number, "%s", message);
}

}  // namespace lava::archive_api
