#include "native/base_rootfs.h"

#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "native/sandbox.h"
#include "oci/digest.h"
#include "oci/layer_unpack.h"
#include "util/error.h"
#include "util/stale_temps.h"
#include "util/temp_dir.h"

namespace lava::native {

namespace fs = std::filesystem;

// Bumped when what an unpacked tree holds would change for the same layers.
constexpr const char* kRootfsFormat = "rootfs-v1";

fs::path unpacked_rootfs(const fs::path& cache, const std::vector<oci::Descriptor>& layers,
                         const std::function<fs::path(const oci::Descriptor&)>& verified_layer,
                         const std::function<void(const std::string&)>& say,
                         const std::string& where) {
  std::string key = kRootfsFormat;
  for (const auto& layer : layers) key += "\n" + layer.digest.str();
  const fs::path dir = cache / "native" / kRootfsFormat;
  const fs::path final_dir = dir / oci::sha256_of(key).hex();
  std::error_code ec;
  if (fs::is_directory(final_dir / "root", ec)) return final_dir / "root";

  fs::create_directories(dir);
  sweep_dead_temps(dir, 1);
  static std::atomic<int> counter{0};
  TempDir tmp(dir / (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter)));
  fs::create_directories(tmp.path / "root");
  if (say)
    say(where + ": unpacking its " + std::to_string(layers.size()) +
        " layer(s) for a sandbox (once; kept in " + dir.string() + ")");
  for (const auto& layer : layers)
    oci::unpack_layer(verified_layer(layer), tmp.path / "root",
                      where + " layer " + layer.digest.str());
  prepare_sandbox_root(tmp.path / "root");
  if (::rename(tmp.path.c_str(), final_dir.c_str()) != 0) {
    // Another build unpacked the same layers meanwhile: theirs is as good as ours.
    if ((errno == EEXIST || errno == ENOTEMPTY) && fs::is_directory(final_dir / "root", ec))
      return final_dir / "root";
    throw Error(final_dir.string() + ": cannot put the unpacked " + where +
                " in place: " + std::strerror(errno));
  }
  tmp.release();
  return final_dir / "root";
}

}  // namespace lava::native
