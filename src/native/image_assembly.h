// The image configuration and manifest of a natively built image: the base's, plus our
// layers, the default Dockerfile's ENV and USER, history entries, and OCI labels and
// annotations describing where it came from. Serialised canonically (sorted keys, no spaces)
// so the same inputs give the same digests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "native/layer_writer.h"
#include "oci/descriptor.h"
#include "oci/image_config.h"
#include "oci/manifest.h"

namespace lava::native {

struct Provenance {
  int64_t created = 0;    // SOURCE_DATE_EPOCH
  std::string source;     // org.opencontainers.image.source (a git remote, no credentials)
  std::string revision;   // org.opencontainers.image.revision (git commit)
  std::string title;      // org.opencontainers.image.title (the payload's name)
  std::string builder;    // "lava-docker 0.1.0 (native engine)"
  std::string base_name;  // org.opencontainers.image.base.name
};

struct AddedLayer {
  LayerBlob blob;
  std::string created_by;  // history text: never a credential
};

inline constexpr const char* kBuilderLabel = "io.github.jin-gizmo.lava-docker.builder";

// The environment and user the default Dockerfile sets.
const std::vector<std::pair<std::string, std::string>>& default_env();
inline constexpr const char* kDefaultUser = "lava";

// "1970-01-01T00:00:00Z".
std::string rfc3339(int64_t epoch_seconds);

// The new config: base config, layers appended to rootfs.diff_ids, ENV and USER applied,
// labels set, history extended, created set.
std::string image_config_json(const oci::ImageConfig& base, const std::vector<AddedLayer>& layers,
                              const Provenance& provenance);

// The new manifest: base layers then ours, OCI media types, annotations.
oci::Manifest image_manifest(const oci::Manifest& base, const oci::Descriptor& base_manifest,
                             const std::vector<AddedLayer>& layers, const oci::Descriptor& config,
                             const Provenance& provenance);

}  // namespace lava::native
