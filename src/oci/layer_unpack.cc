#include "oci/layer_unpack.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "oci/rootfs_view.h"
#include "util/error.h"
#include "util/libarchive.h"

namespace lava::oci {

namespace {

struct ReadDeleter {
  void operator()(struct archive* a) const { archive_api::read_free(a); }
};

// An open file descriptor, closed with its owner.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }

 private:
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
};

std::string entry_path(struct archive_entry* e) {
  const char* p = archive_api::entry_pathname(e);
  return p ? p : "";
}

// Unpacks one layer; holds what the layer has added so far (for opaque directories).
class LayerUnpacker {
 public:
  LayerUnpacker(const std::filesystem::path& root, std::string where) : where_(std::move(where)) {
    root_ = Fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (root_.get() < 0) fail(root.string(), "cannot open");
  }

  void run(const std::filesystem::path& blob) {
    std::unique_ptr<struct archive, ReadDeleter> holder(archive_api::read_new());
    archive_ = holder.get();
    archive_api::read_support_filter_gzip(archive_);
    archive_api::read_support_filter_zstd(archive_);
    archive_api::read_support_format_tar(archive_);
    if (archive_api::read_open_filename(archive_, blob.c_str(), 1 << 20) != ARCHIVE_OK)
      throw archive_error("cannot read layer");
    struct archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_api::read_next_header(archive_, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN)
      apply(e);
    if (rc != ARCHIVE_EOF) throw archive_error("corrupt layer");
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(where_ + ": " + path + ": " + what + ": " + std::strerror(errno));
  }
  Error archive_error(const std::string& what) const {
    const char* msg = archive_api::error_string(archive_);
    return Error(where_ + ": " + what + (msg ? std::string(": ") + msg : std::string()));
  }

  void apply(struct archive_entry* e) {
    const std::string path = RootfsView::normalise(entry_path(e));
    std::vector<std::string> parts = RootfsView::components(path);
    if (parts.empty() || parts.back() == "..") return;
    const std::string name = parts.back();
    parts.pop_back();
    const std::string dir = path.substr(0, path.size() - name.size());  // "etc/" or ""

    if (name == ".wh..wh..opq") {
      if (auto d = open_dir(parts, false, path)) hide_lower(d->get(), dir);
      return;
    }
    if (name.rfind(".wh..wh.", 0) == 0) return;  // other aufs bookkeeping
    if (name.rfind(".wh.", 0) == 0) {
      if (auto d = open_dir(parts, false, path)) remove_at(d->get(), name.substr(4), path);
      return;
    }
    added_.insert(path);
    std::optional<Fd> parent = open_dir(parts, true, path);
    const int pd = parent->get();
    const unsigned perm = archive_api::entry_perm(e) & 0777;
    if (const char* hardlink = archive_api::entry_hardlink(e)) {
      std::vector<std::string> target = RootfsView::components(RootfsView::normalise(hardlink));
      if (target.empty()) throw Error(where_ + ": " + path + ": hard link to nothing");
      const std::string target_name = target.back();
      target.pop_back();
      std::optional<Fd> target_dir = open_dir(target, false, path);
      remove_at(pd, name, path);
      if (!target_dir || ::linkat(target_dir->get(), target_name.c_str(), pd, name.c_str(), 0) != 0)
        fail(path, std::string("cannot link to ") + hardlink);
      return;
    }
    switch (archive_api::entry_filetype(e)) {
      case AE_IFDIR: {
        struct stat st;
        if (::fstatat(pd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
          remove_at(pd, name, path);
        if (::mkdirat(pd, name.c_str(), 0700) != 0 && errno != EEXIST)
          fail(path, "cannot make directory");
        if (::fchmodat(pd, name.c_str(), perm | 0700, 0) != 0) fail(path, "cannot set mode");
        break;
      }
      case AE_IFREG:
        write_file(pd, name, path, perm | 0600, archive_api::entry_size(e));
        break;
      case AE_IFLNK: {
        const char* target = archive_api::entry_symlink(e);
        remove_at(pd, name, path);
        if (::symlinkat(target ? target : "", pd, name.c_str()) != 0)
          fail(path, "cannot make symlink");
        break;
      }
      default:  // devices, fifos, sockets: nothing a sandboxed interpreter needs
        break;
    }
  }

  void write_file(int pd, const std::string& name, const std::string& path, unsigned mode,
                  int64_t size) {
    remove_at(pd, name, path);
    Fd fd(::openat(pd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) fail(path, "cannot create");
    const void* buf;
    size_t n;
    la_int64_t offset;
    int r;
    while ((r = archive_api::read_data_block(archive_, &buf, &n, &offset)) == ARCHIVE_OK) {
      const char* p = static_cast<const char*>(buf);
      while (n > 0) {
        ssize_t w = ::pwrite(fd.get(), p, n, offset);
        if (w < 0) {
          if (errno == EINTR) continue;
          fail(path, "cannot write");
        }
        p += w;
        n -= static_cast<size_t>(w);
        offset += w;
      }
    }
    if (r != ARCHIVE_EOF) throw archive_error("cannot read " + path);
    if (::ftruncate(fd.get(), size) != 0) fail(path, "cannot write");
    if (::fchmod(fd.get(), mode) != 0) fail(path, "cannot set mode");
  }

  // The directory `parts` names, resolved inside the root as a chroot would; missing
  // directories (and files in their way) are replaced by new ones when `create`, else
  // nullopt.
  std::optional<Fd> open_dir(const std::vector<std::string>& parts, bool create,
                             const std::string& path) {
    std::vector<Fd> stack;
    stack.emplace_back(::dup(root_.get()));
    if (stack.back().get() < 0) fail(path, "dup");
    std::vector<std::string> todo(parts.rbegin(), parts.rend());
    int links = 0;
    while (!todo.empty()) {
      std::string c = std::move(todo.back());
      todo.pop_back();
      if (c.empty() || c == ".") continue;
      if (c == "..") {
        if (stack.size() > 1) stack.pop_back();
        continue;
      }
      const int cur = stack.back().get();
      int fd = ::openat(cur, c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        stack.emplace_back(fd);
        continue;
      }
      struct stat st;
      if (::fstatat(cur, c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) fail(path, "cannot look up " + c);
        if (!create) return std::nullopt;
        if (::mkdirat(cur, c.c_str(), 0755) != 0 && errno != EEXIST)
          fail(path, "cannot make directory " + c);
        todo.push_back(std::move(c));
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (++links > 40) throw Error(where_ + ": " + path + ": too many levels of symbolic links");
        char buf[PATH_MAX];
        ssize_t n = ::readlinkat(cur, c.c_str(), buf, sizeof buf);
        if (n < 0) fail(path, "cannot read symlink " + c);
        std::string target(buf, static_cast<size_t>(n));
        if (!target.empty() && target[0] == '/')
          while (stack.size() > 1) stack.pop_back();
        std::vector<std::string> more = RootfsView::components(target);
        for (auto it = more.rbegin(); it != more.rend(); ++it) todo.push_back(*it);
        continue;
      }
      if (!create) return std::nullopt;  // a file where a directory would be
      remove_at(cur, c, path);
      todo.push_back(std::move(c));
    }
    return std::move(stack.back());
  }

  // Removes `name` in directory `dirfd`, a whole tree when it is a directory; never
  // follows a symlink. Absent is fine.
  void remove_at(int dirfd, const std::string& name, const std::string& path) {
    struct stat st;
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return;
      fail(path, "cannot look up " + name);
    }
    if (S_ISDIR(st.st_mode)) {
      Fd sub(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (sub.get() < 0) fail(path, "cannot open " + name);
      (void)::fchmod(sub.get(), (st.st_mode & 07777) | 0700);  // best effort: we own it
      for (const auto& child : children(sub.get(), path)) remove_at(sub.get(), child, path);
      if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) != 0) fail(path, "cannot remove " + name);
    } else if (::unlinkat(dirfd, name.c_str(), 0) != 0) {
      fail(path, "cannot remove " + name);
    }
  }

  std::vector<std::string> children(int dirfd, const std::string& path) {
    int fd = ::dup(dirfd);
    if (fd < 0) fail(path, "dup");
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      fail(path, "cannot list");
    }
    ::rewinddir(d);
    std::vector<std::string> names;
    while (struct dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    return names;
  }

  // An opaque directory: what lower layers put there goes; what this layer added stays.
  void hide_lower(int dirfd, const std::string& dir) {
    for (const auto& child : children(dirfd, dir)) {
      const std::string path = dir + child;
      auto below = added_.lower_bound(path + "/");
      bool ours =
          added_.count(path) > 0 || (below != added_.end() && below->rfind(path + "/", 0) == 0);
      if (!ours) remove_at(dirfd, child, path);
    }
  }

  std::string where_;
  Fd root_;
  struct archive* archive_ = nullptr;
  std::set<std::string> added_;  // normalised paths this layer has written so far
};

}  // namespace

void unpack_layer(const std::filesystem::path& blob, const std::filesystem::path& root,
                  const std::string& where) {
  LayerUnpacker(root, where).run(blob);
}

}  // namespace lava::oci
