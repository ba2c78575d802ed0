#include "context/copy_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/human_size.h"

namespace lava::context {

namespace fs = std::filesystem;

namespace {

using DirId = std::pair<dev_t, ino_t>;

constexpr fs::perms kDirMode = static_cast<fs::perms>(0755);
constexpr fs::perms kExecMode = static_cast<fs::perms>(0755);
constexpr fs::perms kFileMode = static_cast<fs::perms>(0644);

// One copy's shared state.
struct Walk {
  const DockerIgnore& ignore;
  const LinkPolicy& policy;
  fs::path root;                 // canonical project root, or empty: links unchecked
  DirId dest{};                  // the copy's own root: reaching it again is a loop
  std::vector<DirId> ancestors;  // directories being copied, for cycles
  uintmax_t bytes = 0;           // file bytes copied so far
  bool outside = false;          // below a link that left the project (warned once)
  std::vector<std::string> warnings;
};

bool is_within(const fs::path& p, const fs::path& root) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end();
}

void copy_dir(const fs::path& from, const fs::path& to, const fs::path& shown,
              const std::string& rel_dir, Walk& walk);

// Copies one entry that stat() (following links) described as `est`.
void copy_entry(const fs::path& src, const fs::path& dst, const fs::path& rel,
                const std::string& in_context, const struct stat& est, ContextEntry fate,
                Walk& walk) {
  if (S_ISDIR(est.st_mode)) {
    copy_dir(src, dst, rel, in_context, walk);
    // Excluded, walked only for exceptions: it exists only to hold what they kept.
    std::error_code ec;
    if (fate == ContextEntry::kWalkOnly && fs::is_empty(dst, ec)) fs::remove(dst);
  } else if (S_ISREG(est.st_mode)) {
    std::error_code ec;
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(rel.string() + ": cannot copy: " + ec.message());
    fs::permissions(dst, (est.st_mode & S_IXUSR) ? kExecMode : kFileMode);
    walk.bytes += static_cast<uintmax_t>(est.st_size);
  } else {
    const char* kind = S_ISSOCK(est.st_mode)   ? "a socket"
                       : S_ISFIFO(est.st_mode) ? "a FIFO"
                                               : "a device";
    throw Error(rel.string() + ": is " + std::string(kind) +
                "; payloads may hold only files and directories");
  }
}

// A link leaving the project: refused, or followed with a warning giving what it cost.
void copy_link_target(const fs::path& src, const fs::path& dst, const fs::path& rel,
                      const std::string& in_context, const struct stat& est, ContextEntry fate,
                      Walk& walk) {
  std::error_code ec;
  const fs::path target = fs::canonical(src, ec);
  if (walk.root.empty() || walk.outside || ec || is_within(target, walk.root)) {
    copy_entry(src, dst, rel, in_context, est, fate, walk);
    return;
  }
  if (!walk.policy.follow_external)
    throw Error(rel.string() + ": link to " + target.string() + " leaves the project" +
                (walk.policy.refusal_hint.empty() ? "" : " (" + walk.policy.refusal_hint + ")"));
  const uintmax_t before = walk.bytes;
  walk.outside = true;
  copy_entry(src, dst, rel, in_context, est, fate, walk);
  walk.outside = false;
  walk.warnings.push_back(rel.string() + ": link to " + target.string() +
                          " outside the project followed: " + human_size(walk.bytes - before) +
                          " copied into the build context");
}

// `rel_dir` is the directory's path in the context ("" for the root), for .dockerignore.
void copy_dir(const fs::path& from, const fs::path& to, const fs::path& shown,
              const std::string& rel_dir, Walk& walk) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0)
    throw Error(shown.string() + ": cannot read: " + std::strerror(errno));
  DirId id{st.st_dev, st.st_ino};
  if (std::find(walk.ancestors.begin(), walk.ancestors.end(), id) != walk.ancestors.end())
    throw Error(shown.string() +
                ": symlink cycle (a link points back to a directory containing it)");
  if (!walk.ancestors.empty() && id == walk.dest)
    throw Error(shown.string() +
                ": a link loops into the build context being written; payload links must not "
                "lead to the project or a directory holding it");
  walk.ancestors.push_back(id);
  fs::create_directory(to);
  fs::permissions(to, kDirMode);
  if (walk.ancestors.size() == 1) {
    struct stat dst {};
    if (::stat(to.c_str(), &dst) == 0) walk.dest = {dst.st_dev, dst.st_ino};
  }

  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(from)) entries.push_back(e.path().filename());
  std::sort(entries.begin(), entries.end());
  for (const auto& name : entries) {
    fs::path src = from / name;
    fs::path rel = shown / name;
    const std::string in_context = rel_dir.empty() ? name.string() : rel_dir + "/" + name.string();
    struct stat est {};
    const bool readable = ::stat(src.c_str(), &est) == 0;
    const int stat_errno = errno;
    const auto fate = context_entry(walk.ignore, in_context, readable && S_ISDIR(est.st_mode));
    if (fate == ContextEntry::kSkip) continue;
    if (!readable) {
      errno = stat_errno;
      if (errno == ENOENT && fs::is_symlink(fs::symlink_status(src)))
        throw Error(rel.string() + ": dangling symlink to " + fs::read_symlink(src).string());
      if (errno == ELOOP)
        throw Error(rel.string() + ": symlink loop (links pointing at each other)");
      throw Error(rel.string() + ": cannot read: " + std::strerror(errno));
    }
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(src, ec)))
      copy_link_target(src, to / name, rel, in_context, est, fate, walk);
    else
      copy_entry(src, to / name, rel, in_context, est, fate, walk);
  }
  walk.ancestors.pop_back();
}

}  // namespace

std::vector<std::string> copy_tree(const fs::path& from, const fs::path& to, const fs::path& shown,
                                   const DockerIgnore& ignore, const LinkPolicy& policy) {
  Walk walk{ignore, policy, {}, {}, {}, 0, false, {}};
  std::error_code ec;
  if (!policy.project_root.empty()) walk.root = fs::canonical(policy.project_root, ec);
  if (ec) walk.root.clear();
  // `up.docker -> ..`: the tree holds the copy being made, and would copy it forever.
  if (fs::exists(to.parent_path(), ec)) {
    const fs::path source = fs::canonical(from, ec);
    if (!ec && is_within(fs::canonical(to.parent_path(), ec), source))
      throw Error(shown.string() + ": resolves to " + source.string() +
                  ", which holds the build context being written (a loop); payload links must "
                  "not lead to the project or a directory holding it");
  }
  // The payload directory itself may be the link that leaves the project.
  if (!walk.root.empty() && fs::is_symlink(fs::symlink_status(from, ec))) {
    const fs::path target = fs::canonical(from, ec);
    if (!ec && !is_within(target, walk.root)) {
      if (!policy.follow_external)
        throw Error(shown.string() + ": link to " + target.string() + " leaves the project" +
                    (policy.refusal_hint.empty() ? "" : " (" + policy.refusal_hint + ")"));
      walk.outside = true;
      copy_dir(from, to, shown, "", walk);
      walk.warnings.push_back(shown.string() + ": link to " + target.string() +
                              " outside the project followed: " + human_size(walk.bytes) +
                              " copied into the build context");
      return walk.warnings;
    }
  }
  copy_dir(from, to, shown, "", walk);
  return walk.warnings;
}

}  // namespace lava::context
