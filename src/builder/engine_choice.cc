#include "builder/engine_choice.h"

#include "context/build_context.h"
#include "util/error.h"

namespace lava::builder {

EngineKind choose_engine(const std::string& requested, const project::Project& project,
                         const project::Payload& payload) {
  using context::DockerfileOrigin;
  const DockerfileOrigin origin = context::dockerfile_origin(project, payload);
  if (requested == "docker") return EngineKind::kDocker;
  if (requested == "auto" || requested.empty())
    return origin == DockerfileOrigin::kBuiltIn ? EngineKind::kNative : EngineKind::kDocker;
  if (requested != "native")
    throw UsageError("--engine: '" + requested + "' is not one of docker, native, auto");
  if (origin == DockerfileOrigin::kPayload)
    throw Error(payload.name +
                ": the native engine builds only the built-in default Dockerfile, and " +
                (payload.source / "Dockerfile").string() +
                " is the payload's own; build it with --engine docker (or auto)");
  if (origin == DockerfileOrigin::kProject)
    throw Error(payload.name +
                ": the native engine builds only the built-in default Dockerfile, and this project "
                "has an edited " +
                project.fallback_shown + "; build it with --engine docker (or auto)");
  return EngineKind::kNative;
}

const char* engine_name(EngineKind kind) {
  return kind == EngineKind::kNative ? "native" : "docker";
}

}  // namespace lava::builder
