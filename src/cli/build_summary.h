// What `build` (and `prepare`, `clean`) report per payload: a tab-separated line, or one
// entry of the --json document (schema in README.md, "JSON output").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "builder/build_state.h"
#include "project/project.h"

namespace lava::cli {

// "hello\tbuilt\tindex=sha256:...\tlinux/amd64=sha256:...\t41.2s": the index digest that
// NAME.dockerimg holds (native builds), then each platform's image id.
std::string build_summary_line(const project::Payload& payload, const builder::BuildState& state,
                               bool rebuilt, double seconds);

// {"payload", "status", "engine", "reference", "dockerimg", "index_digest",
//  "platforms": [{"platform", "tag", "image_id", "manifest_digest"}], "seconds"}.
nlohmann::ordered_json build_summary_json(const project::Project& project,
                                          const project::Payload& payload,
                                          const builder::BuildState& state, bool rebuilt,
                                          double seconds);

}  // namespace lava::cli
