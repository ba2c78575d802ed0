#include "native/base_image.h"

#include "oci/layout_base.h"

namespace lava::native {

namespace {

bool names_layout(const std::string& name) {
  std::string path, tag;
  return oci::parse_oci_name(name, path, tag);
}

}  // namespace

std::unique_ptr<BaseImage> open_base_image(const std::string& name,
                                           const BaseImageOptions& options) {
  if (names_layout(name)) return oci::open_layout_base(name, options.relative_to);
  return registry::open_registry_base(name, options);
}

std::optional<oci::Digest> known_base_digest(const std::string& name,
                                             const BaseImageOptions& options) {
  if (names_layout(name)) return open_base_image(name, options)->digest();
  return registry::known_registry_base_digest(name, options);
}

}  // namespace lava::native
