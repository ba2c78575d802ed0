#include "build/docker_build.h"

#include <unistd.h>

#include "build/build_state.h"
#include "context/build_context.h"
#include "context/input_stamp.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/sha256.h"

namespace lava::build {

namespace fs = std::filesystem;

namespace {

// Removes a temporary directory however the build ends.
struct TempDirGuard {
  fs::path path;
  ~TempDirGuard() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<std::string> stamp_extras(const project::Project& project, const BuildRequest& request,
                                      const std::vector<std::pair<std::string, std::string>>& args) {
  std::vector<std::string> extra{"engine=docker", "network=" + request.network_mode};
  for (const auto& p : project.config.platforms.platforms) extra.push_back("platform=" + p.str());
  // Build args go in hashed: the stamp file must not hold PIP_INDEX_URL's credentials.
  for (const auto& [k, v] : args) extra.push_back("arg=" + k + "=" + sha256_hex(v));
  return extra;
}

bool images_present(engine::DockerClient& docker, const BuildState& state) {
  for (const auto& img : state.images) {
    auto info = docker.inspect_image(img.tag);
    if (!info || info->id != img.image_id) return false;
  }
  return !state.images.empty();
}

void check_base_platforms(engine::DockerClient& docker, const project::Project& project) {
  const auto& platforms = project.config.platforms.platforms;
  if (platforms.size() == 1 && platforms[0].is_host()) return;
  const std::string& base = project.config.base_img;
  engine::DistributionInfo dist;
  try {
    dist = docker.distribution_inspect(base);
  } catch (const Error& e) {
    throw Error("base image " + base + " (docker.base_img in " + project.config.file.string() +
                "): cannot read it from its registry: " + e.what());
  }
  std::string offered;
  for (const auto& p : dist.platforms) offered += (offered.empty() ? "" : ", ") + p.str();
  for (const auto& p : platforms) {
    if (!dist.offers(p.str()))
      throw Error("base image " + base + " has no " + p.str() + " image (it offers: " +
                  (offered.empty() ? "nothing" : offered) + "); choose a multi-platform base or change docker.platform in " +
                  project.config.file.string());
  }
}

}  // namespace

std::string local_tag(const project::Project& project, const project::Payload& payload,
                      const project::Platform& platform) {
  if (project.config.platforms.platforms.size() == 1) return payload.image + ":latest";
  return payload.image + ":latest-" + platform.suffix();
}

BuildOutcome build_with_docker(engine::DockerClient& docker, const project::Project& project,
                               const project::Payload& payload, const BuildRequest& request,
                               const BuildReporter& reporter) {
  BuildOutcome outcome;
  outcome.payload = payload.name;
  std::vector<std::string> extra_args;
  for (const auto& [k, v] : request.build_args) extra_args.push_back(k + "=" + v);
  auto args = standard_build_args(project.config.base_img, extra_args);
  const std::string stamp = context::input_stamp(project, payload, stamp_extras(project, request, args));

  if (!request.force) {
    auto previous = read_build_state(project.dist, payload.name);
    if (previous && previous->engine == "docker" && previous->stamp == stamp &&
        fs::exists(project.dist.image_id_file(payload.name)) && images_present(docker, *previous)) {
      for (const auto& img : previous->images) outcome.summary.push_back(img.platform + " " + img.image_id);
      return outcome;
    }
  }

  check_base_platforms(docker, project);

  fs::create_directories(project.dist.payloads_dir());
  TempDirGuard tmp{project.dist.payloads_dir() /
                   ("." + payload.name + ".context-" + std::to_string(::getpid()))};
  fs::remove_all(tmp.path);
  context::prepare_context(project, payload, tmp.path);

  BuildState state;
  state.engine = "docker";
  state.stamp = stamp;
  for (const auto& platform : project.config.platforms.platforms) {
    engine::BuildOptions b;
    b.context_dir = tmp.path;
    b.build_args = args;
    b.platform = platform.is_host() ? "" : platform.str();
    b.network_mode = request.network_mode;
    b.pull = true;  // else a base pulled earlier for another architecture is used silently
    b.on_event = [&](const engine::BuildEvent& e) {
      if (e.kind != engine::BuildEvent::Kind::kOutput) return;
      if (e.text.rfind("Step ", 0) == 0) {
        if (reporter.step) reporter.step(payload.name, e.text);
      } else if (reporter.output) {
        reporter.output(payload.name, e.text);
      }
    };
    engine::BuildResult result;
    try {
      result = docker.build(b);
    } catch (const Error& e) {
      throw Error(payload.name + ": build for " + platform.str() + " failed: " + e.what());
    }
    auto info = docker.inspect_image(result.image_id);
    if (!info) throw Error(payload.name + ": the engine lost the image it just built");
    if (!platform.is_host() && info->platform().str() != platform.str())
      throw Error(payload.name + ": asked for " + platform.str() + " but the engine built " +
                  info->platform().str() + " (base image " + project.config.base_img + ")");
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

}  // namespace lava::build
