#include "builder/payload_builder.h"

#include "builder/build_state.h"
#include "builder/docker_build.h"
#include "builder/docker_export.h"
#include "builder/engine_choice.h"
#include "builder/native_engine_build.h"
#include "util/error.h"

namespace lava::builder {

PayloadBuilder::PayloadBuilder(std::string engine, BuildRequest request, BuildReporter reporter)
    : engine_(std::move(engine)), request_(std::move(request)), reporter_(std::move(reporter)) {}

docker::DockerClient& PayloadBuilder::docker() {
  if (!docker_) {
    if (request_.network_ahead) request_.network_ahead();  // the Engine API is HTTP
    docker_.emplace();
  }
  return *docker_;
}

BuildOutcome PayloadBuilder::build(const project::Project& project,
                                   const project::Payload& payload) {
  if (choose_engine(engine_, project, payload) == EngineKind::kNative)
    return build_with_native(project, payload, request_, reporter_);
  return build_with_docker(docker(), project, payload, request_, reporter_);
}

std::filesystem::path PayloadBuilder::ensure_layout(const project::Project& project,
                                                    const project::Payload& payload) {
  auto state = read_build_state(project.dist, payload.name);
  if (!state) throw Error(payload.name + ": no build state after building");
  if (state->engine != "native") export_docker_images(docker(), project, payload, *state);
  return project.dist.oci_layout(payload.name);
}

}  // namespace lava::builder
