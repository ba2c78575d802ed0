#include "builder/docker_export.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "oci/docker_archive.h"
#include "oci/layer_cache.h"
#include "oci/layout.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/temp_dir.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {

// The image ids a layout was exported from, so an unchanged build is not exported twice.
fs::path export_record(const project::DistLayout& dist, const std::string& payload) {
  return dist.state_dir(payload) / "exported.json";
}

std::string images_key(const BuildState& state) {
  std::string key;
  for (const auto& img : state.images) key += img.platform + "=" + img.image_id + ";";
  return key;
}

}  // namespace

std::string export_docker_images(docker::DockerClient& docker, const project::Project& project,
                                 const project::Payload& payload, const BuildState& state) {
  const fs::path final_dir = project.dist.oci_layout(payload.name);
  const fs::path record = export_record(project.dist, payload.name);
  std::error_code ec;
  if (fs::exists(record, ec) && fs::exists(final_dir / "index.json", ec)) {
    try {
      auto j = nlohmann::json::parse(read_file(record));
      if (j.value("images", "") == images_key(state)) return j.at("root").get<std::string>();
    } catch (const std::exception&) {
      // An unreadable record just means exporting again.
    }
  }

  fs::path tmp = final_dir;
  tmp += ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  TempDir cleanup{tmp};

  oci::Layout layout = oci::Layout::create(tmp);
  oci::LayerCache cache(oci::LayerCache::default_dir());
  std::vector<oci::Descriptor> manifests;
  for (const auto& img : state.images) {
    fs::path archive = tmp / ("save-" + std::to_string(manifests.size()) + ".tar");
    docker.save_images_to_file({img.tag}, archive);
    oci::ImportOptions options;
    options.image = img.tag;
    manifests.push_back(oci::import_docker_archive(archive, layout, cache, options));
    fs::remove(archive);
  }
  oci::Descriptor root = oci::write_payload_root(layout, manifests);
  replace_directory(tmp, final_dir);  // the old layout is left at tmp, which cleanup removes
  std::string digest = root.digest.str();
  write_file_atomic(record,
                    nlohmann::json{{"images", images_key(state)}, {"root", digest}}.dump() + "\n");
  return digest;
}

}  // namespace lava::builder
