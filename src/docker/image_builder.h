// One image for one platform built from a prepared context with the Docker Engine API, and
// checked: the base offers the platform, and the result is of it. (The native engine has
// its own entry point, native/native_build.h; builder/payload_builder.h chooses.)
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "docker/docker_client.h"

namespace lava::docker {

struct ImageBuildRequest {
  std::filesystem::path context_dir;
  std::map<std::string, std::string> extra_files;  // e.g. the rendered Dockerfile
  std::string dockerfile = "Dockerfile";
  std::string base_image;  // the FROM image, for messages and the platform check
  std::vector<std::pair<std::string, std::string>> build_args;
  std::map<std::string, std::string> labels;
  std::string platform;  // "linux/amd64", ...; empty: the engine's own
  std::string network_mode;
  std::vector<std::string> tags;
  bool no_cache = false;
  bool quiet = false;
  // The engine pulls every FROM image for the platform. False for a Dockerfile whose FROM
  // images are local image ids the caller pulled and checked (a pull of those would fail).
  bool pull = true;
  EventCallback on_event;
};

// An image the engine built: its id and the platform it reports.
struct EngineImage {
  std::string image_id;
  ImagePlatform platform;
};

class DockerImageBuilder {
 public:
  explicit DockerImageBuilder(DockerClient& docker) : docker_(docker) {}
  // The platforms `base_ref` offers in its registry. Errors name the base.
  std::vector<ImagePlatform> base_platforms(const std::string& base_ref);
  // Builds and tags the image; fails when the result's os/architecture is not the
  // requested platform. Has the engine pull the FROM image for the platform (pull=1,
  // unless `request.pull` is false), since the engine keeps one image per tag and would
  // otherwise reuse one of another architecture.
  EngineImage build(const ImageBuildRequest& request);

 private:
  DockerClient& docker_;
};

// Throws a lava::Error naming `base_ref` and `platform` when `offered` lacks it.
void require_platform(const std::vector<ImagePlatform>& offered, const std::string& base_ref,
                      const std::string& platform);

}  // namespace lava::docker
