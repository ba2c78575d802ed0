// Which engine builds a payload: `--engine docker|native|auto`.
#pragma once

#include <string>

#include "project/project.h"

namespace lava::builder {

enum class EngineKind { kDocker, kNative };

// "docker", "native" or "auto" (the default): auto picks native when the payload builds
// with the built-in default Dockerfile (no Dockerfile of its own, no etc/Dockerfile), since
// that is the recipe the native engine reproduces; docker otherwise. Asking for native
// with a payload that has its own Dockerfile is an error naming that file.
EngineKind choose_engine(const std::string& requested, const project::Project& project,
                         const project::Payload& payload);

const char* engine_name(EngineKind kind);

}  // namespace lava::builder
