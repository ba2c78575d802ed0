// Choosing the image manifest for one platform out of an image index.
#pragma once

#include <string>

#include "oci/descriptor.h"
#include "oci/manifest.h"
#include "oci/platform.h"

namespace lava::oci {

// Picks the manifest for `platform` from an index; throws PlatformMissing naming `what` and
// the platforms the index has when none matches (attestation entries are not platforms).
Descriptor select_platform(const Index& index, const Platform& platform, const std::string& what);

}  // namespace lava::oci
