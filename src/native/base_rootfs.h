// A base image's root file system unpacked into the per-user cache, so that the base's own
// programs (its python3) can run in a sandbox (sandbox.h):
// <cache>/native/rootfs-v1/<key>/root, the key a sha256 over the layers' digests in order.
// Unpacked only when first asked for, from layer files checked against their digests, into
// a temporary sibling (".tmp-PID-N", swept when its writer is gone) renamed into place as a
// whole; then only read. The tree carries the sandbox's mount points.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "oci/descriptor.h"

namespace lava::native {

// The unpacked tree of `layers` (lowest first). `verified_layer(d)` gives a local copy of
// layer `d` whose content has been checked against its digest; it is asked only when the
// tree is not in the cache yet, and then `say` hears one line. `where` names the image in
// errors.
std::filesystem::path unpacked_rootfs(
    const std::filesystem::path& cache, const std::vector<oci::Descriptor>& layers,
    const std::function<std::filesystem::path(const oci::Descriptor&)>& verified_layer,
    const std::function<void(const std::string&)>& say, const std::string& where);

}  // namespace lava::native
