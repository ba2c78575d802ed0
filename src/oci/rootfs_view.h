// The file system an image's layers add up to, as far as a build needs to know it: the
// metadata of every path and the contents of a few small files, with OCI whiteouts
// (".wh.<name>" deletes, ".wh..wh..opq" makes a directory opaque) applied layer by layer.
// Layers are streamed, never unpacked to disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lava::oci {

struct RootfsNode {
  enum class Type { kFile, kDirectory, kSymlink, kHardlink, kOther };
  Type type = Type::kFile;
  unsigned mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t size = 0;
  std::string link;                    // symlink target, or the hard link's target path
  std::optional<std::string> content;  // when the capture policy asked for it
  std::string libc_version;            // "2.36" when this is a glibc found by scanning
};

// Which file contents to keep while reading layers. Paths are relative ("etc/passwd").
struct CapturePolicy {
  std::function<bool(const std::string& path)> keep_content;
  std::function<bool(const std::string& path)> scan_for_glibc;
  int64_t max_content = 8 << 20;  // larger files are not kept
};

// The policy build_payload uses: passwd, group, os-release, apk's database, python's site.py
// and pyvenv.cfg files; glibc's libc.so.6 and libc-2.*.so scanned for their version.
CapturePolicy base_capture_policy();

class RootfsView {
 public:
  // Applies one layer (a tar, plain, gzip or zstd) on top of what is there. `where` names the
  // layer in errors.
  void apply_layer(const std::filesystem::path& blob, const CapturePolicy& policy,
                   const std::string& where);

  // Exact lookup, no symlinks followed. `path` relative or absolute ("/etc" == "etc").
  const RootfsNode* find(const std::string& path) const;
  // The path with every symlink on the way resolved (the last component too when
  // `follow_last`), staying inside the root; components past a missing one are kept as
  // given. Relative result ("usr/lib/x"); "" is the root. Throws on a symlink loop.
  std::string resolve(const std::string& path, bool follow_last = true) const;
  // find(resolve(path)), with hard links followed to the node holding the content.
  const RootfsNode* lookup(const std::string& path) const;
  // Whether `path` (resolved) is a directory, explicit or implied by entries below it.
  bool is_directory(const std::string& path) const;
  // Names directly below directory `path` (resolved), sorted.
  std::vector<std::string> children(const std::string& path) const;

  const std::map<std::string, RootfsNode>& nodes() const { return nodes_; }
  size_t size() const { return nodes_.size(); }

  // Normalises a tar or user path: no leading "./" or "/", no trailing "/", no "." parts.
  static std::string normalise(const std::string& path);
  // "a//b/./c/" -> {"a", "b", "c"}: the names of a path, empty ones and "." left out.
  static std::vector<std::string> components(const std::string& path);

 private:
  void erase_below(const std::string& dir);
  std::map<std::string, RootfsNode> nodes_;
};

}  // namespace lava::oci
