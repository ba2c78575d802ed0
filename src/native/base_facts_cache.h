// Base facts (base_facts.h) read once per base image manifest and kept in the per-user
// cache: <cache>/native/base-facts-v3/<manifest hex>.json.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "native/base_facts.h"
#include "native/base_image.h"

namespace lava::native {

// The facts of `bm` (one platform's manifest of `base`), from the cache or read from its
// layers: `layer_file(d)` gives a copy of layer `d` checked against its digest, asked for
// only when the cache has no answer (and then `say` hears one line).
BaseFacts cached_base_facts(
    const BaseImage& base, const BaseManifest& bm, const std::filesystem::path& cache,
    const std::string& platform, const std::function<void(const std::string&)>& say,
    const std::function<std::filesystem::path(const oci::Descriptor&)>& layer_file);

}  // namespace lava::native
