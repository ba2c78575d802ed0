#include "native/base_facts_cache.h"

#include <nlohmann/json.hpp>

#include "oci/rootfs_view.h"
#include "util/file_io.h"

namespace lava::native {

namespace fs = std::filesystem;

namespace {

// Bumped whenever what a cached item holds would change for the same inputs.
// v3: read from verified layer content only (earlier entries may hold what a tampered
// layer said), with the base's full Python version.
constexpr const char* kFactsVersion = "base-facts-v3";

// The PATH an image's config sets, or "" for the default.
std::string config_path_env(const oci::ImageConfig& config) {
  const auto& j = config.json();
  if (!j.contains("config") || !j["config"].is_object()) return "";
  const auto& c = j["config"];
  if (!c.contains("Env") || !c["Env"].is_array()) return "";
  for (const auto& e : c["Env"])
    if (e.is_string() && e.get<std::string>().rfind("PATH=", 0) == 0)
      return e.get<std::string>().substr(5);
  return "";
}

}  // namespace

BaseFacts cached_base_facts(const BaseImage& base, const BaseManifest& bm, const fs::path& cache,
                            const std::string& platform,
                            const std::function<void(const std::string&)>& say,
                            const std::function<fs::path(const oci::Descriptor&)>& layer_file) {
  fs::path file = cache / "native" / kFactsVersion / (bm.descriptor.digest.hex() + ".json");
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    try {
      return BaseFacts::from_json(nlohmann::json::parse(read_file(file)));
    } catch (const std::exception&) {
      // unreadable: inspect again
    }
  }
  if (say)
    say(platform + ": reading the base image's " + std::to_string(bm.manifest.layers.size()) +
        " layer(s)");
  oci::RootfsView rootfs;
  oci::CapturePolicy policy = oci::base_capture_policy();
  for (const auto& layer : bm.manifest.layers)
    rootfs.apply_layer(layer_file(layer), policy,
                       "base image " + base.name() + " layer " + layer.digest.str());
  BaseFacts facts = inspect_rootfs(rootfs, config_path_env(bm.config),
                                   "base image " + base.name() + " (" + platform + ")");
  write_file_atomic(file, facts.to_json().dump());
  return facts;
}

}  // namespace lava::native
