#include "oci/layer_cache.h"

#include <cstdlib>
#include <sstream>

#include "oci/blob_writer.h"
#include "util/error.h"
#include "util/file_io.h"

namespace lava::oci {

namespace fs = std::filesystem;

fs::path LayerCache::default_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  fs::path base;
  if (xdg && *xdg) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    if (!home || !*home)
      throw Error("cannot find a cache directory: neither XDG_CACHE_HOME nor HOME is set");
    base = fs::path(home) / ".cache";
  }
  return base / "lava-docker" / "blobs";
}

fs::path LayerCache::blobs_root() const {
  std::error_code ec;
  fs::create_directories(dir_ / "sha256", ec);
  if (ec) throw Error(dir_.string() + ": cannot create cache directory: " + ec.message());
  return dir_;
}

std::optional<CachedLayer> LayerCache::lookup(const Digest& diff_id) const {
  if (!enabled()) return std::nullopt;
  fs::path entry = dir_ / "diffid" / diff_id.algorithm() / diff_id.hex();
  std::error_code ec;
  if (!fs::is_regular_file(entry, ec)) return std::nullopt;
  std::istringstream in(read_file(entry));
  std::string digest;
  int64_t size = -1;
  in >> digest >> size;
  if (!Digest::valid(digest) || size < 0) return std::nullopt;
  CachedLayer c{Digest::parse(digest), size, blob_file(dir_, Digest::parse(digest))};
  auto actual = fs::file_size(c.file, ec);
  if (ec || static_cast<int64_t>(actual) != size) return std::nullopt;
  return c;
}

void LayerCache::remember(const Digest& diff_id, const Digest& digest, int64_t size) const {
  if (!enabled()) return;
  write_file_atomic(dir_ / "diffid" / diff_id.algorithm() / diff_id.hex(),
                    digest.str() + " " + std::to_string(size) + "\n");
}

}  // namespace lava::oci
