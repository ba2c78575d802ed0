// Which kind of base image a native build's docker.base_img names: "oci:PATH[:TAG]" is a
// local OCI image layout (oci/layout_base.h), anything else a registry reference
// (registry/registry_base.h). Both give an oci::BaseImage.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "oci/base_image.h"
#include "registry/registry_base.h"

namespace lava::native {

using oci::BaseImage;
using oci::BaseManifest;

// The registry source's options, and where a relative oci: path starts.
struct BaseImageOptions : registry::RegistryBaseOptions {
  std::filesystem::path relative_to;  // for a relative oci: path (the project directory)
};

// Opens the base `name` names, as oci::open_layout_base or registry::open_registry_base.
std::unique_ptr<BaseImage> open_base_image(const std::string& name,
                                           const BaseImageOptions& options);

// What `name` resolves to without asking a registry: a local layout's tagged digest, the
// digest a reference names, or the tag cache's answer; with options.refresh, a registry tag
// is asked (and the answer cached). nullopt when only the registry could tell.
std::optional<oci::Digest> known_base_digest(const std::string& name,
                                             const BaseImageOptions& options);

}  // namespace lava::native
