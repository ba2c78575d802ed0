#include "oci/rootfs_view.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <regex>
#include <set>

#include "util/error.h"
#include "util/libarchive.h"

namespace lava::oci {

namespace {

struct ReadDeleter {
  void operator()(struct archive* a) const { archive_api::read_free(a); }
};

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirname_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string child_path(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string entry_path(struct archive_entry* e) {
  const char* p = archive_api::entry_pathname_utf8(e);
  if (!p) p = archive_api::entry_pathname(e);
  return p ? p : "";
}

// Finds "release version X.Y" in a stream of blocks (glibc's banner in libc.so.6).
class GlibcScanner {
 public:
  void feed(const char* data, size_t n) {
    if (!version_.empty()) return;
    window_.append(data, n);
    static const std::string kNeedle = "release version ";
    size_t at = window_.find(kNeedle);
    if (at != std::string::npos) {
      size_t i = at + kNeedle.size();
      std::string v;
      while (i < window_.size() &&
             (std::isdigit(static_cast<unsigned char>(window_[i])) || window_[i] == '.'))
        v += window_[i++];
      if (i < window_.size() || window_.size() - at > 64) {
        if (std::regex_match(v, std::regex(R"(\d+\.\d+(\.\d+)?\.?)"))) {
          if (v.back() == '.') v.pop_back();
          version_ = v;
        }
        window_.erase(0, at + kNeedle.size());
        return;
      }
    }
    if (window_.size() > 64) window_.erase(0, window_.size() - 64);
  }
  const std::string& version() const { return version_; }

 private:
  std::string window_;
  std::string version_;
};

}  // namespace

CapturePolicy base_capture_policy() {
  CapturePolicy p;
  p.keep_content = [](const std::string& path) {
    static const std::set<std::string> kFiles = {"etc/passwd",           "etc/group",
                                                 "etc/os-release",       "usr/lib/os-release",
                                                 "lib/apk/db/installed", "var/lib/dpkg/status"};
    if (kFiles.count(path)) return true;
    std::string base = basename_of(path);
    if (base == "pyvenv.cfg") return true;
    if (base == "patchlevel.h") {  // the full Python version
      static const std::regex kIncludeDir(R"(python3\.\d+)");
      return std::regex_match(basename_of(dirname_of(path)), kIncludeDir);
    }
    if (base == "site.py") {
      static const std::regex kPythonDir(R"(python3\.\d+)");
      return std::regex_match(basename_of(dirname_of(path)), kPythonDir);
    }
    return false;
  };
  p.scan_for_glibc = [](const std::string& path) {
    if (!(starts_with(path, "lib") || starts_with(path, "usr/lib"))) return false;
    std::string base = basename_of(path);
    if (base == "libc.so.6") return true;
    return starts_with(base, "libc-2.") && base.size() > 3 && base.substr(base.size() - 3) == ".so";
  };
  return p;
}

std::string RootfsView::normalise(const std::string& path) {
  return join(RootfsView::components(path));
}

void RootfsView::erase_below(const std::string& dir) {
  if (dir.empty()) {
    nodes_.clear();
    return;
  }
  std::string prefix = dir + "/";
  auto it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && starts_with(it->first, prefix)) it = nodes_.erase(it);
}

void RootfsView::apply_layer(const std::filesystem::path& blob, const CapturePolicy& policy,
                             const std::string& where) {
  std::unique_ptr<struct archive, ReadDeleter> holder(archive_api::read_new());
  struct archive* a = holder.get();
  archive_api::read_support_filter_gzip(a);
  archive_api::read_support_filter_zstd(a);
  archive_api::read_support_format_tar(a);
  auto fail = [&](const std::string& what) -> Error {
    const char* msg = archive_api::error_string(a);
    return Error(where + ": " + what + (msg ? std::string(": ") + msg : std::string()));
  };
  if (archive_api::read_open_filename(a, blob.c_str(), 1 << 20) != ARCHIVE_OK)
    throw fail("cannot read layer");

  struct Added {
    std::string path;
    RootfsNode node;
  };
  std::vector<Added> added;
  std::vector<std::string> deleted;
  std::vector<std::string> opaque;
  struct archive_entry* e = nullptr;
  int rc;
  while ((rc = archive_api::read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    std::string path = normalise(entry_path(e));
    if (path.empty()) continue;
    std::string base = basename_of(path);
    if (base == ".wh..wh..opq") {
      opaque.push_back(dirname_of(path));
      continue;
    }
    if (starts_with(base, ".wh.")) {
      deleted.push_back(child_path(dirname_of(path), base.substr(4)));
      continue;
    }
    RootfsNode node;
    node.mode = archive_api::entry_perm(e) & 07777;
    node.uid = static_cast<uint32_t>(archive_api::entry_uid(e));
    node.gid = static_cast<uint32_t>(archive_api::entry_gid(e));
    node.size = archive_api::entry_size(e);
    const char* hardlink = archive_api::entry_hardlink(e);
    if (hardlink) {
      node.type = RootfsNode::Type::kHardlink;
      node.link = normalise(hardlink);
    } else {
      switch (archive_api::entry_filetype(e)) {
        case AE_IFREG:
          node.type = RootfsNode::Type::kFile;
          break;
        case AE_IFDIR:
          node.type = RootfsNode::Type::kDirectory;
          break;
        case AE_IFLNK: {
          node.type = RootfsNode::Type::kSymlink;
          const char* target = archive_api::entry_symlink_utf8(e);
          if (!target) target = archive_api::entry_symlink(e);
          node.link = target ? target : "";
          break;
        }
        default:
          node.type = RootfsNode::Type::kOther;
      }
    }
    if (node.type == RootfsNode::Type::kFile) {
      bool keep =
          policy.keep_content && node.size <= policy.max_content && policy.keep_content(path);
      bool scan = !keep && policy.scan_for_glibc && policy.scan_for_glibc(path);
      if (keep || scan) {
        std::string content;
        GlibcScanner scanner;
        const void* buf;
        size_t n;
        la_int64_t offset;
        int r;
        while ((r = archive_api::read_data_block(a, &buf, &n, &offset)) == ARCHIVE_OK) {
          if (keep) content.append(static_cast<const char*>(buf), n);
          if (scan) scanner.feed(static_cast<const char*>(buf), n);
        }
        if (r != ARCHIVE_EOF) throw fail("cannot read " + path);
        if (keep) node.content = std::move(content);
        if (scan) node.libc_version = scanner.version();
      }
    }
    added.push_back({std::move(path), std::move(node)});
  }
  if (rc != ARCHIVE_EOF) throw fail("corrupt layer");

  // Whiteouts hide what lower layers have, never what this layer adds.
  for (const auto& dir : opaque) erase_below(dir);
  for (const auto& path : deleted) {
    nodes_.erase(path);
    erase_below(path);
  }
  for (auto& [path, node] : added) {
    // A non-directory replaces whatever directory (explicit or implied) was there.
    if (node.type != RootfsNode::Type::kDirectory) erase_below(path);
    if (node.type == RootfsNode::Type::kHardlink) {
      // A hard link shares its target's content: copy what was captured of it.
      auto target = nodes_.find(node.link);
      if (target != nodes_.end() && target->second.content) node.content = target->second.content;
    }
    nodes_[path] = std::move(node);
  }
}

const RootfsNode* RootfsView::find(const std::string& path) const {
  auto it = nodes_.find(normalise(path));
  return it == nodes_.end() ? nullptr : &it->second;
}

std::string RootfsView::resolve(const std::string& path, bool follow_last) const {
  std::vector<std::string> todo = RootfsView::components(path);
  std::reverse(todo.begin(), todo.end());
  std::vector<std::string> done;
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    done.push_back(part);
    bool last = todo.empty();
    if (last && !follow_last) break;
    auto it = nodes_.find(join(done));
    if (it == nodes_.end() || it->second.type != RootfsNode::Type::kSymlink) continue;
    if (++links > 40) throw Error("/" + normalise(path) + ": too many levels of symbolic links");
    done.pop_back();
    const std::string& target = it->second.link;
    if (!target.empty() && target[0] == '/') done.clear();
    auto parts = RootfsView::components(target);
    for (auto p = parts.rbegin(); p != parts.rend(); ++p) todo.push_back(*p);
  }
  return join(done);
}

const RootfsNode* RootfsView::lookup(const std::string& path) const {
  const RootfsNode* node = find(resolve(path));
  if (node && node->type == RootfsNode::Type::kHardlink) node = find(node->link);
  return node;
}

bool RootfsView::is_directory(const std::string& path) const {
  std::string r = resolve(path);
  if (r.empty()) return true;
  auto it = nodes_.find(r);
  if (it != nodes_.end()) return it->second.type == RootfsNode::Type::kDirectory;
  auto below = nodes_.lower_bound(r + "/");
  return below != nodes_.end() && starts_with(below->first, r + "/");
}

std::vector<std::string> RootfsView::children(const std::string& path) const {
  std::string r = resolve(path);
  std::string prefix = r.empty() ? "" : r + "/";
  std::set<std::string> names;
  auto it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && starts_with(it->first, prefix)) {
    std::string rest = it->first.substr(prefix.size());
    auto slash = rest.find('/');
    names.insert(rest.substr(0, slash));
    if (slash == std::string::npos) {
      ++it;
    } else {  // inside a subtree: skip the rest of it ('0' sorts right after '/')
      it = nodes_.lower_bound(prefix + rest.substr(0, slash) + "0");
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> RootfsView::components(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string part = path.substr(i, j - i);
    if (!part.empty() && part != ".") out.push_back(std::move(part));
    i = j + 1;
  }
  return out;
}

}  // namespace lava::oci
