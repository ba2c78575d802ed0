#include "oci/platform_select.h"

#include "oci/platform_missing.h"

namespace lava::oci {

Descriptor select_platform(const Index& index, const Platform& platform, const std::string& what) {
  std::string available;
  for (const auto& d : index.manifests) {
    if (!d.platform) continue;
    if (d.platform->os == "unknown") continue;  // attestations
    if (d.platform->matches(platform)) return d;
    available += (available.empty() ? "" : ", ") + d.platform->str();
  }
  throw PlatformMissing(what + " has no " + platform.str() +
                        " image (it has: " + (available.empty() ? "none" : available) + ")");
}

}  // namespace lava::oci
