#include "context/input_stamp.h"

#include <sys/stat.h>

#include <algorithm>

#include "context/default_dockerfile.h"
#include "context/dockerignore.h"
#include "util/error.h"
#include "util/sha256.h"
#include "version.h"

namespace lava::context {

namespace fs = std::filesystem;

namespace {

// `rel` is "." for the payload root, else "./a/b"; .dockerignore sees "a/b".
void hash_tree(Sha256& h, const fs::path& dir, const std::string& rel, const DockerIgnore& ignore,
               int depth) {
  if (depth > 64) return;  // copy_tree reports cycles; the stamp only needs to terminate
  std::vector<fs::path> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    fs::path p = dir / name;
    std::string r = rel + "/" + name.string();
    struct stat st {};
    const bool readable = ::stat(p.c_str(), &st) == 0;
    // What the context leaves out cannot change the image.
    if (context_entry(ignore, r.substr(2), readable && S_ISDIR(st.st_mode)) == ContextEntry::kSkip)
      continue;
    if (!readable) {
      h.update("missing:" + r + "\n");
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      h.update("dir:" + r + "\n");
      hash_tree(h, p, r, ignore, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      h.update(std::string((st.st_mode & S_IXUSR) ? "exec:" : "file:") + r + ":" +
               sha256_file_hex(p) + "\n");
    } else {
      h.update("special:" + r + "\n");
    }
  }
}

void hash_optional_file(Sha256& h, const std::string& label, const fs::path& p) {
  std::error_code ec;
  h.update(label + ":" + (fs::is_regular_file(p, ec) ? sha256_file_hex(p) : "-") + "\n");
}

}  // namespace

std::string input_stamp(const project::Project& project, const project::Payload& payload,
                        const std::vector<std::string>& extra) {
  Sha256 h;
  h.update(std::string("lava-docker ") + LAVA_DOCKER_VERSION + "\n");
  // An unreadable .dockerignore: prepare_context reports it; the stamp hashes everything.
  DockerIgnore ignore;
  try {
    ignore = DockerIgnore::load(payload.source, ".dockerignore");
  } catch (const Error&) {
  }
  hash_tree(h, payload.source, ".", ignore, 0);
  hash_optional_file(h, "config", project.root / project.config.file);
  hash_optional_file(h, "etc/Dockerfile", project.fallback_dockerfile);
  hash_optional_file(h, "realm", project.dist.realm_file());
  h.update("default:" + sha256_hex(default_dockerfile()) + "\n");
  for (const auto& e : extra) h.update("extra:" + e + "\n");
  return h.hex();
}

}  // namespace lava::context
