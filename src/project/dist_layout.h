// Where build outputs live: dist/<env>/...
#pragma once

#include <filesystem>
#include <string>

#include "project/yaml_load.h"

namespace lava::project {

struct DistLayout {
  std::filesystem::path root;  // <project>/dist/<env>

  std::filesystem::path payloads_dir() const { return root / "lava-payloads"; }
  // The image id (or index digest) of a built payload: the framework's .dockerimg file.
  std::filesystem::path image_id_file(const std::string& payload_name) const {
    return payloads_dir() / (payload_name + ".dockerimg");
  }
  // Per-payload working state of ours (build stamps, per-platform ids).
  std::filesystem::path state_dir(const std::string& payload_name) const {
    return payloads_dir() / (payload_name + ".state");
  }
  // OCI image layout written by the native engine.
  std::filesystem::path oci_layout(const std::string& payload_name) const {
    return payloads_dir() / (payload_name + ".oci");
  }
  std::filesystem::path realm_file() const { return root / ".realm.json"; }
};

DistLayout dist_layout(const std::filesystem::path& project_dir, const std::string& env);

// dist/<env>/.realm.json when present (an object), else an empty object.
Json read_realm_info(const DistLayout& dist);

}  // namespace lava::project
