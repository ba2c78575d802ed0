#include "oci/base_image.h"

#include "oci/media_types.h"
#include "oci/platform_missing.h"
#include "oci/platform_select.h"
#include "util/error.h"

namespace lava::oci {

BaseManifest base_manifest_for(const std::string& name, const std::string& root_bytes,
                               const Descriptor& root, const Platform& platform,
                               const BlobReader& read_manifest, const BlobReader& read_config) {
  std::string type =
      root.media_type.empty() ? detect_media_type(root_bytes, name) : root.media_type;
  BaseManifest out;
  if (media::is_index(type)) {
    Descriptor chosen =
        select_platform(Index::parse(root_bytes, name), platform, "base image " + name);
    std::string child = read_manifest(chosen);
    std::string child_type = detect_media_type(child, name + "@" + chosen.digest.str());
    if (media::is_index(child_type))
      throw Error("base image " + name + ": nested indexes are not supported");
    out.descriptor = chosen;
    out.manifest = Manifest::parse(child, name + "@" + chosen.digest.str());
  } else {
    out.descriptor = root;
    out.manifest = Manifest::parse(root_bytes, name);
  }
  out.config = ImageConfig::parse(read_config(out.manifest.config), name + " config");
  Platform actual = out.config.platform();
  if (!actual.matches(platform))
    throw PlatformMissing("base image " + name + " has no " + platform.str() +
                          " image (it is a single " + actual.str() + " image)");
  if (!out.descriptor.platform) out.descriptor.platform = actual;
  return out;
}

}  // namespace lava::oci
