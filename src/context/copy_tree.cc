#include "context/copy_tree.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "util/error.h"

namespace lava::context {

namespace fs = std::filesystem;

namespace {

using DirId = std::pair<dev_t, ino_t>;

constexpr fs::perms kDirMode = static_cast<fs::perms>(0755);
constexpr fs::perms kExecMode = static_cast<fs::perms>(0755);
constexpr fs::perms kFileMode = static_cast<fs::perms>(0644);

// `rel` is the directory's path in the context ("" for the root), for .dockerignore.
void copy_dir(const fs::path& from, const fs::path& to, const fs::path& shown,
              const std::string& rel_dir, const DockerIgnore& ignore,
              std::vector<DirId>& ancestors) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0)
    throw Error(shown.string() + ": cannot read: " + std::strerror(errno));
  DirId id{st.st_dev, st.st_ino};
  if (std::find(ancestors.begin(), ancestors.end(), id) != ancestors.end())
    throw Error(shown.string() +
                ": symlink cycle (a link points back to a directory containing it)");
  ancestors.push_back(id);
  fs::create_directory(to);
  fs::permissions(to, kDirMode);

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
    const auto fate = context_entry(ignore, in_context, readable && S_ISDIR(est.st_mode));
    if (fate == ContextEntry::kSkip) continue;
    if (!readable) {
      errno = stat_errno;
      if (errno == ENOENT && fs::is_symlink(fs::symlink_status(src)))
        throw Error(rel.string() + ": dangling symlink to " + fs::read_symlink(src).string());
      throw Error(rel.string() + ": cannot read: " + std::strerror(errno));
    }
    if (S_ISDIR(est.st_mode)) {
      copy_dir(src, to / name, rel, in_context, ignore, ancestors);
      // Excluded, walked only for exceptions: it exists only to hold what they kept.
      std::error_code ec;
      if (fate == ContextEntry::kWalkOnly && fs::is_empty(to / name, ec)) fs::remove(to / name);
    } else if (S_ISREG(est.st_mode)) {
      std::error_code ec;
      fs::copy_file(src, to / name, fs::copy_options::overwrite_existing, ec);
      if (ec) throw Error(rel.string() + ": cannot copy: " + ec.message());
      fs::permissions(to / name, (est.st_mode & S_IXUSR) ? kExecMode : kFileMode);
    } else {
      const char* kind = S_ISSOCK(est.st_mode)   ? "a socket"
                         : S_ISFIFO(est.st_mode) ? "a FIFO"
                                                 : "a device";
      throw Error(rel.string() + ": is " + std::string(kind) +
                  "; payloads may hold only files and directories");
    }
  }
  ancestors.pop_back();
}

}  // namespace

void copy_tree(const fs::path& from, const fs::path& to, const fs::path& shown,
               const DockerIgnore& ignore) {
  std::vector<DirId> ancestors;
  copy_dir(from, to, shown, "", ignore, ancestors);
}

}  // namespace lava::context
