#include "builder/docker_build.h"

#include <unistd.h>

#include <algorithm>

#include "builder/build_state.h"
#include "builder/requirements_step.h"
#include "builder/stage_images.h"
#include "context/build_context.h"
#include "context/input_stamp.h"
#include "docker/image_builder.h"
#include "native/base_image.h"
#include "native/native_build.h"
#include "oci/platform.h"
#include "util/cancellation.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {

using BuildArgs = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> stamp_extras(const project::Project& project, const BuildRequest& request,
                                      const BuildArgs& args, bool built_in_dockerfile) {
  std::vector<std::string> extra{"engine=docker", "network=" + request.network_mode};
  for (const auto& p : project.config.platforms.platforms) extra.push_back("platform=" + p.str());
  // Build args go in hashed: the stamp file must not hold PIP_INDEX_URL's credentials.
  for (const auto& [k, v] : args) extra.push_back("arg=" + k + "=" + sha256_hex(v));
  if (built_in_dockerfile)
    extra.push_back("requirements-step=" + sha256_hex(requirements_step_script()));
  return extra;
}

// Removes `key` from `args` and returns its value ("" when absent).
std::string take_arg(BuildArgs& args, const std::string& key) {
  std::string value;
  std::erase_if(args, [&](const auto& kv) {
    if (kv.first != key) return false;
    value = kv.second;
    return true;
  });
  return value;
}

// The built-in Dockerfile's requirements: run as a step of their own (PIP_INDEX_URL goes
// there, never to the engine as a build arg), then the build starts from the base image
// the step ran on and copies /lava-root from the step's image. Returns the build args for
// the engine; the step's image is added to `throwaway`.
BuildArgs run_requirements(docker::DockerClient& docker, BuildArgs args,
                           const docker::ImageBuildRequest& build, const project::Payload& payload,
                           const BuildReporter& reporter, std::vector<std::string>& throwaway) {
  RequirementsStepRequest step;
  step.index_url = take_arg(args, "PIP_INDEX_URL");
  step.base_image = take_arg(args, "BASE_IMG");
  step.platform = build.platform;
  step.network_mode = build.network_mode;
  step.context_dir = build.context_dir;
  if (reporter.output)
    step.on_output = [&](const std::string& line) { reporter.output(payload.name, line); };
  if (reporter.step)
    reporter.step(payload.name, "requirements: pip in a container from " + step.base_image);
  auto made = run_requirements_step(docker, step);
  throwaway.push_back(made.image_id);
  args.emplace_back("BASE_IMG", made.base_image_id);
  args.emplace_back("LAVA_REQUIREMENTS_IMAGE", made.image_id);
  return args;
}

bool images_present(docker::DockerClient& docker, const BuildState& state) {
  for (const auto& img : state.images) {
    auto info = docker.inspect_image(img.tag);
    if (!info || info->id != img.image_id) return false;
  }
  return !state.images.empty();
}

void check_base_platforms(docker::DockerImageBuilder& builder, const project::Project& project) {
  const auto& platforms = project.config.platforms.platforms;
  if (platforms.size() == 1 && platforms[0].is_host()) return;
  const std::string& base = project.config.base_img;
  auto offered = builder.base_platforms(base);
  if (offered.empty()) {
    // Docker reports no platforms for a single (non-index) OCI manifest: ask the registry
    // ourselves, which reads the image's config for its platform.
    native::BaseImageOptions options;
    options.relative_to = project.root;
    options.blob_cache = native::default_cache_dir() / "blobs";
    options.insecure_registry = project.config.insecure_registry;
    auto image = native::open_base_image(base, options);
    for (const auto& p : platforms)
      if (!p.is_host()) image->manifest_for(oci::Platform::parse(p.str()));
    return;
  }
  for (const auto& p : platforms) docker::require_platform(offered, base, p.str());
}

}  // namespace

std::string local_tag(const project::Project& project, const project::Payload& payload,
                      const project::Platform& platform) {
  if (project.config.platforms.platforms.size() == 1) return payload.image + ":latest";
  return payload.image + ":latest-" + platform.suffix();
}

BuildOutcome build_with_docker(docker::DockerClient& docker, const project::Project& project,
                               const project::Payload& payload, const BuildRequest& request,
                               const BuildReporter& reporter) {
  BuildOutcome outcome;
  outcome.payload = payload.name;
  std::vector<std::string> extra_args;
  for (const auto& [k, v] : request.build_args) extra_args.push_back(k + "=" + v);
  auto args = standard_build_args(project.config.base_img, extra_args);
  const bool built_in =
      context::dockerfile_origin(project, payload) == context::DockerfileOrigin::kBuiltIn;
  const std::string stamp =
      context::input_stamp(project, payload, stamp_extras(project, request, args, built_in));

  if (!request.force) {
    auto previous = read_build_state(project.dist, payload.name);
    if (previous && previous->engine == "docker" && previous->stamp == stamp &&
        fs::exists(project.dist.image_id_file(payload.name)) && images_present(docker, *previous)) {
      for (const auto& img : previous->images)
        outcome.summary.push_back(img.platform + " " + img.image_id);
      return outcome;
    }
  }

  docker::DockerImageBuilder builder(docker);
  check_base_platforms(builder, project);

  fs::create_directories(project.dist.payloads_dir());
  TempDir tmp{project.dist.payloads_dir() /
              ("." + payload.name + ".context-" + std::to_string(::getpid()))};
  fs::remove_all(tmp.path);
  auto ctx = context::prepare_context(project, payload, tmp.path);
  if (reporter.warning)
    for (const auto& w : ctx.warnings) reporter.warning(w);

  BuildState state;
  state.engine = "docker";
  state.stamp = stamp;
  // Images that must not outlive the build, removed however it ends: the requirements
  // step's, and the intermediate images of a `lava-requirements` stage in a payload's own
  // Dockerfile (their history holds the stage's build args, PIP_INDEX_URL among them).
  StageImageCollector stage_images;
  std::vector<std::string> step_images;
  struct RemoveThrowawayImages {
    docker::DockerClient& docker;
    const std::vector<std::string>& step;
    const StageImageCollector& stage;
    void remove(const std::string& id) noexcept {
      try {
        docker.remove_image(id);
      } catch (const std::exception&) {
        // still used by another image, or the engine went away: nothing to add
      }
    }
    ~RemoveThrowawayImages() {
      for (const auto& id : step) remove(id);
      for (const auto& id : stage.images()) remove(id);
    }
  } remove_throwaway_images{docker, step_images, stage_images};
  for (const auto& platform : project.config.platforms.platforms) {
    docker::ImageBuildRequest b;
    b.context_dir = tmp.path;
    b.base_image = project.config.base_img;
    b.build_args = args;
    b.platform = platform.is_host() ? "" : platform.str();
    b.network_mode = request.network_mode;
    b.on_event = [&](const docker::BuildEvent& e) {
      throw_if_cancelled();  // Ctrl-C: ends the request, and the engine stops the build
      if (e.kind != docker::BuildEvent::Kind::kOutput) return;
      if (ctx.dockerfile_origin != context::DockerfileOrigin::kBuiltIn)
        stage_images.on_line(e.text);
      if (e.text.rfind("Step ", 0) == 0) {
        if (reporter.step) reporter.step(payload.name, e.text);
      } else if (reporter.output) {
        reporter.output(payload.name, e.text);
      }
    };
    // No tags yet: the builder verifies os/architecture, and tags move only when every
    // platform has built.
    docker::EngineImage result;
    try {
      if (ctx.dockerfile_origin == context::DockerfileOrigin::kBuiltIn) {
        b.build_args = run_requirements(docker, args, b, payload, reporter, step_images);
        b.pull = false;  // the FROM images are the step's ids: nothing to pull
      }
      result = builder.build(b);
    } catch (const Error& e) {
      throw Error(payload.name + ": build for " + platform.str() + " failed: " + e.what());
    }
    state.images.push_back({platform.is_host() ? "host" : platform.str(),
                            local_tag(project, payload, platform), result.image_id});
  }
  // Every platform built and verified: only now move the tags and write dist/.
  for (const auto& img : state.images) docker.tag_image(img.image_id, img.tag);
  write_build_state(project.dist, payload.name, state);
  outcome.rebuilt = true;
  for (const auto& img : state.images) outcome.summary.push_back(img.platform + " " + img.image_id);
  return outcome;
}

}  // namespace lava::builder
