// A digest of everything a payload's image depends on, so unchanged payloads aren't rebuilt.
#pragma once

#include <string>
#include <vector>

#include "project/project.h"

namespace lava::context {

// sha256 over the payload tree as the build sees it (paths, executable bits, contents,
// following symlinks; what its .dockerignore leaves out is not part of it), the config file, etc/Dockerfile, the built-in default Dockerfile,
// the realm info, the tool version and `extra` (engine, platform, build args: pass
// secrets already hashed).
std::string input_stamp(const project::Project& project, const project::Payload& payload,
                        const std::vector<std::string>& extra);

}  // namespace lava::context
