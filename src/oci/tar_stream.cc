#include "oci/tar_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <vector>

#include "util/error.h"
#include "util/libarchive.h"
#include "util/utf8_ctype_scope.h"

namespace lava::oci {

namespace {

constexpr size_t kReadPiece = 1 << 20;

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_api::write_free(a); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* e) const { archive_api::entry_free(e); }
};

// libarchive writes through this; an exception from the sink is kept and rethrown by check().
class Writer {
 public:
  explicit Writer(const ByteSink& sink) : sink_(sink), a_(archive_api::write_new()) {}
  struct archive* get() {
    return a_.get();
  }

  static la_ssize_t callback(struct archive*, void* self, const void* buf, size_t n) {
    auto* w = static_cast<Writer*>(self);
    try {
      w->sink_(static_cast<const char*>(buf), n);
    } catch (...) {
      w->error_ = std::current_exception();
      return -1;
    }
    return static_cast<la_ssize_t>(n);
  }

  // `header`: a name libarchive could not translate to UTF-8 was stored as raw bytes
  // (hdrcharset=BINARY), which is what we want, and it says so with ARCHIVE_WARN.
  void check(la_ssize_t rc, const std::string& what, bool header = false) {
    if (rc >= ARCHIVE_OK || (header && rc == ARCHIVE_WARN && !error_)) return;
    if (error_) std::rethrow_exception(error_);
    const char* msg = archive_api::error_string(a_.get());
    throw Error("tar: " + what + ": " + (msg ? msg : "write failed"));
  }

 private:
  const ByteSink& sink_;
  std::unique_ptr<struct archive, ArchiveDeleter> a_;
  std::exception_ptr error_;
};

// A read buffer allocated, not zeroed, on the first file that needs it and no larger than
// that file needs: a code-only layer is small, and touching a zeroed MiB costs more on a
// VM than the whole tar of it.
class ReadBuffer {
 public:
  char* get(int64_t want) {
    size_t n = std::min(kReadPiece, static_cast<size_t>(std::max<int64_t>(want, 1)) + 1);
    if (n > size_) {
      data_.reset(new char[n]);
      size_ = n;
    }
    return data_.get();
  }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

// Spools hold many entries' contents: kept open across entries, as the sorted order goes
// back and forth between a few of them.
class SpoolFiles {
 public:
  ~SpoolFiles() {
    for (auto& [path, fd] : fds_) ::close(fd);
  }
  int get(const std::filesystem::path& path) {
    auto it = fds_.find(path.string());
    if (it != fds_.end()) return it->second;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path.string() + ": cannot open: " + std::strerror(errno));
    fds_.emplace(path.string(), fd);
    return fd;
  }

 private:
  std::map<std::string, int> fds_;
};

void write_spooled_data(Writer& w, const LayerEntry& e, ReadBuffer& buffer, SpoolFiles& spools) {
  int fd = spools.get(e.source);
  char* buf = buffer.get(e.length);
  int64_t done = 0;
  while (done < e.length) {
    size_t want = static_cast<size_t>(
        std::min<int64_t>(e.length - done, static_cast<int64_t>(buffer.size())));
    ssize_t n = ::pread(fd, buf, want, static_cast<off_t>(e.offset) + done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(e.source.string() + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) throw Error(e.source.string() + ": ends before " + e.path + "'s content does");
    done += n;
    w.check(archive_api::write_data(w.get(), buf, static_cast<size_t>(n)), e.path);
  }
}

void write_file_data(Writer& w, const LayerEntry& e, int64_t size, ReadBuffer& buffer,
                     SpoolFiles& spools) {
  if (e.source.empty()) {
    if (!e.content.empty())
      w.check(archive_api::write_data(w.get(), e.content.data(), e.content.size()), e.path);
    return;
  }
  if (e.length >= 0) return write_spooled_data(w, e, buffer, spools);
  int fd = ::open(e.source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(e.source.string() + ": cannot open: " + std::strerror(errno));
  std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { ::close(*f); });
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  // One byte more than the size read in one go, so a file that grew is seen.
  char* buf = buffer.get(size);
  int64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf, buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(e.source.string() + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) break;
    total += n;
    if (total > size) break;
    w.check(archive_api::write_data(w.get(), buf, static_cast<size_t>(n)), e.path);
  }
  if (total != size) throw Error(e.source.string() + ": changed while it was being read");
}

}  // namespace

void write_tar(std::vector<LayerEntry> entries, int64_t mtime, const ByteSink& out) {
  std::sort(entries.begin(), entries.end(),
            [](const LayerEntry& a, const LayerEntry& b) { return a.path < b.path; });
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].path == entries[i - 1].path)
      throw Error("tar: two layer entries for " + entries[i].path);

  Utf8CtypeScope utf8;  // names are bytes; see util/utf8_ctype_scope.h
  Writer w(out);
  struct archive* ar = w.get();
  // pax_restricted: plain ustar headers unless a name, link or size needs a pax record.
  w.check(archive_api::write_set_format_pax_restricted(ar), "format");
  w.check(archive_api::write_set_bytes_per_block(ar, 64 * 1024), "block size");
  w.check(archive_api::write_set_bytes_in_last_block(ar, 1), "last block");
  w.check(archive_api::write_open(ar, &w, nullptr, Writer::callback, nullptr), "open");

  ReadBuffer buf;
  SpoolFiles spools;
  std::unique_ptr<struct archive_entry, EntryDeleter> entry(archive_api::entry_new());
  for (const auto& e : entries) {
    if (e.path.empty() || e.path.front() == '/' || e.path.back() == '/')
      throw Error("tar: bad layer path '" + e.path + "'");
    struct archive_entry* ae = entry.get();
    archive_api::entry_clear(ae);
    archive_api::entry_set_mtime(ae, static_cast<time_t>(mtime), 0);
    archive_api::entry_set_uid(ae, e.uid);
    archive_api::entry_set_gid(ae, e.gid);
    archive_api::entry_set_perm(ae, static_cast<mode_t>(e.mode & 07777));
    int64_t size = 0;
    switch (e.type) {
      case LayerEntry::Type::kDirectory:
        archive_api::entry_set_pathname(ae, (e.path + "/").c_str());
        archive_api::entry_set_filetype(ae, AE_IFDIR);
        break;
      case LayerEntry::Type::kSymlink:
        archive_api::entry_set_pathname(ae, e.path.c_str());
        archive_api::entry_set_filetype(ae, AE_IFLNK);
        archive_api::entry_set_symlink(ae, e.link_target.c_str());
        break;
      case LayerEntry::Type::kFile: {
        archive_api::entry_set_pathname(ae, e.path.c_str());
        archive_api::entry_set_filetype(ae, AE_IFREG);
        size = static_cast<int64_t>(e.content.size());
        if (!e.source.empty() && e.length >= 0) {
          size = e.length;
        } else if (!e.source.empty()) {
          std::error_code ec;
          auto s = std::filesystem::file_size(e.source, ec);
          if (ec) throw Error(e.source.string() + ": cannot stat: " + ec.message());
          size = static_cast<int64_t>(s);
        }
        break;
      }
    }
    archive_api::entry_set_size(ae, size);
    w.check(archive_api::write_header(ar, ae), e.path, true);
    if (e.type == LayerEntry::Type::kFile) write_file_data(w, e, size, buf, spools);
    w.check(archive_api::write_finish_entry(ar), e.path);
  }
  w.check(archive_api::write_close(ar), "close");
}

}  // namespace lava::oci
