// One platform's part of a native build before pip runs: its base layers staged, its base
// facts, the users layer (built or from the cache), and what pip has to install for it,
// with the recipe its requirements layer is cached by.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "native/base_facts.h"
#include "native/build_session.h"
#include "native/image_assembly.h"
#include "native/layer_writer.h"
#include "native/pip_install.h"
#include "native/staged_layout.h"
#include "oci/parallel_gzip.h"

namespace lava::native {

// The layers' format, part of every recipe: the compressor's own name and version with it,
// since its bytes are the layer's digest.
inline std::string layer_format() {
  return "tar-pax-sorted/" + oci::ParallelGzip::format();
}

// The payload's requirement files.
struct RequirementFiles {
  std::map<std::string, std::filesystem::path> all;  // every requirements*.txt (-r includes)
  std::filesystem::path deps;                        // requirements.txt when non-empty, else empty
  std::filesystem::path nodeps;  // requirements-nodeps.txt when non-empty, else empty
  bool any() const { return !deps.empty() || !nodeps.empty(); }
};

RequirementFiles find_requirements(const std::filesystem::path& context_dir);

struct PipPlan {
  PipTarget target;
  std::string recipe;
  BaseFacts facts;
  std::optional<LayerBlob> blob;  // from the cache, or once built
};

struct PlatformPlan {
  const BuildTarget* target = nullptr;
  std::vector<AddedLayer> added;  // the users layer so far
  std::optional<PipPlan> pip;     // when there are requirements
};

// Stages the platform's base layers, reads its facts, adds the users layer and plans pip
// (its layer found in the cache unless options.force). No requirements: no pip plan. A base
// without python3 or with an unknown C library, when there are requirements, is an error.
PlatformPlan plan_platform(BuildSession& s, const BuildTarget& target,
                           const RequirementFiles& requirements, const StagedLayout& layout);

}  // namespace lava::native
