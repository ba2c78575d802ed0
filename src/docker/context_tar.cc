#include "docker/context_tar.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/libarchive.h"
#include "util/utf8_ctype_scope.h"

namespace lava::docker {

namespace fs = std::filesystem;

namespace {

void collect(const fs::path& dir, const std::string& prefix, std::vector<std::string>& out) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) throw Error("build context " + dir.string() + ": cannot list: " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string rel = prefix + n;
    fs::path full = dir / n;
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) {
      throw Error("build context " + full.string() + ": " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      out.push_back(rel + "/");
      collect(full, rel + "/", out);
    } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
      out.push_back(rel);
    } else {
      throw Error("build context " + full.string() +
                  ": not a regular file, directory or symlink (a socket, device or fifo "
                  "cannot go into an image build)");
    }
  }
}

// A header libarchive wrote; ARCHIVE_WARN is how it reports a name it stored as raw bytes
// (hdrcharset=BINARY) because it is not UTF-8: written all the same.
bool header_written(int rc) {
  return rc == ARCHIVE_OK || rc == ARCHIVE_WARN;
}

[[noreturn]] void archive_failure(struct archive* a, const std::string& name) {
  throw Error(
      "build context: cannot write tar entry " + name + ": " +
      (archive_api::error_string(a) ? archive_api::error_string(a) : "unknown libarchive error"));
}

}  // namespace

ContextTarStream::ContextTarStream(fs::path dir, std::map<std::string, std::string> extra_files)
    : dir_(std::move(dir)), extra_files_(std::move(extra_files)) {
  struct stat st;
  if (::stat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error("build context " + dir_.string() + ": not a directory");
  }
  std::vector<std::string> names;
  collect(dir_, "", names);
  for (const auto& n : names) {
    if (extra_files_.count(n)) continue;
    std::string rel = n.back() == '/' ? n.substr(0, n.size() - 1) : n;
    entries_.push_back({n, dir_ / rel, nullptr});
  }
  for (const auto& [name, content] : extra_files_) {
    if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos) {
      throw Error("build context: bad extra file name '" + name + "'");
    }
    entries_.push_back({name, {}, &content});
  }
  // One order for all entries, whatever their origin.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.name < b.name; });

  Utf8CtypeScope utf8;  // names are bytes; see util/utf8_ctype_scope.h
  archive_ = archive_api::write_new();
  if (!archive_) throw Error("cannot initialise libarchive");
  archive_api::write_set_format_pax_restricted(archive_);
  archive_api::write_set_bytes_per_block(archive_, 0);  // hand every piece on at once
  if (archive_api::write_open2(archive_, this, nullptr, &ContextTarStream::on_write, nullptr,
                               nullptr) != ARCHIVE_OK) {
    archive_failure(archive_, "(open)");
  }
}

ContextTarStream::~ContextTarStream() {
  if (file_) std::fclose(file_);
  if (archive_) archive_api::write_free(archive_);
}

std::vector<std::string> ContextTarStream::entry_names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

la_ssize_t ContextTarStream::on_write(struct archive*, void* self, const void* data, size_t n) {
  auto* s = static_cast<ContextTarStream*>(self);
  s->out_.append(static_cast<const char*>(data), n);
  return static_cast<la_ssize_t>(n);
}

size_t ContextTarStream::read(char* buf, size_t len) {
  while (out_.size() - out_pos_ < len && !closed_) step();
  size_t n = std::min(len, out_.size() - out_pos_);
  std::memcpy(buf, out_.data() + out_pos_, n);
  out_pos_ += n;
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  } else if (out_pos_ > (1 << 20)) {  // drop what was consumed before it piles up
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  return n;
}

void ContextTarStream::begin_entry(const Entry& e) {
  std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(
      archive_api::entry_new(), [](struct archive_entry* p) { archive_api::entry_free(p); });
  struct archive_entry* ae = entry.get();
  archive_api::entry_set_pathname(ae, e.name.c_str());
  archive_api::entry_set_uid(ae, 0);
  archive_api::entry_set_gid(ae, 0);
  if (e.extra) {
    archive_api::entry_set_filetype(ae, AE_IFREG);
    archive_api::entry_set_perm(ae, 0644);
    archive_api::entry_set_size(ae, static_cast<la_int64_t>(e.extra->size()));
    if (!header_written(archive_api::write_header(archive_, ae))) archive_failure(archive_, e.name);
    if (!e.extra->empty() &&
        archive_api::write_data(archive_, e.extra->data(), e.extra->size()) < 0) {
      archive_failure(archive_, e.name);
    }
    return;
  }
  struct stat st;
  if (::lstat(e.source.c_str(), &st) != 0) {
    throw Error("build context " + e.source.string() + ": " + std::strerror(errno));
  }
  archive_api::entry_set_perm(ae, st.st_mode & 07777);
  archive_api::entry_set_mtime(ae, st.st_mtim.tv_sec, 0);
  if (S_ISDIR(st.st_mode)) {
    archive_api::entry_set_filetype(ae, AE_IFDIR);
  } else if (S_ISLNK(st.st_mode)) {
    archive_api::entry_set_filetype(ae, AE_IFLNK);
    std::error_code ec;
    fs::path target = fs::read_symlink(e.source, ec);
    if (ec) throw Error("build context " + e.source.string() + ": " + ec.message());
    archive_api::entry_set_symlink(ae, target.c_str());
  } else {
    archive_api::entry_set_filetype(ae, AE_IFREG);
    archive_api::entry_set_size(ae, st.st_size);
    if (st.st_size > 0) {
      file_ = std::fopen(e.source.c_str(), "rb");
      if (!file_) {
        throw Error("build context " + e.source.string() +
                    ": cannot read: " + std::strerror(errno));
      }
      file_name_ = e.source.string();
      file_remaining_ = st.st_size;
    }
  }
  if (!header_written(archive_api::write_header(archive_, ae))) archive_failure(archive_, e.name);
}

void ContextTarStream::step() {
  Utf8CtypeScope utf8;  // names are bytes; see util/utf8_ctype_scope.h
  if (file_) {
    char chunk[64 * 1024];
    size_t want = static_cast<size_t>(std::min<long long>(sizeof chunk, file_remaining_));
    size_t got = std::fread(chunk, 1, want, file_);
    if (got == 0) {
      throw Error("build context " + file_name_ + ": the file shrank while being read");
    }
    if (archive_api::write_data(archive_, chunk, got) < 0) archive_failure(archive_, file_name_);
    file_remaining_ -= static_cast<long long>(got);
    if (file_remaining_ == 0) finish_file();
    return;
  }
  if (next_ < entries_.size()) {
    begin_entry(entries_[next_++]);
    return;
  }
  if (archive_api::write_close(archive_) != ARCHIVE_OK) archive_failure(archive_, "(end)");
  closed_ = true;
}

void ContextTarStream::finish_file() {
  std::fclose(file_);
  file_ = nullptr;
  file_remaining_ = 0;
}

}  // namespace lava::docker
