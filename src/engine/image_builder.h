// The engine interface the build command works through: build one image for one
// platform from a prepared context, checked. `DockerImageBuilder` does it with the Docker
// Engine API; a daemonless builder can implement the same.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/docker_client.h"

namespace lava::engine {

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
  EventCallback on_event;
};

struct BuiltImage {
  std::string image_id;
  ImagePlatform platform;
};

class ImageBuilder {
 public:
  virtual ~ImageBuilder() = default;
  virtual std::string name() const = 0;
  // The platforms `base_ref` offers in its registry. Errors name the base.
  virtual std::vector<ImagePlatform> base_platforms(const std::string& base_ref) = 0;
  // Builds and tags the image; fails when the result's os/architecture is not the
  // requested platform.
  virtual BuiltImage build(const ImageBuildRequest& request) = 0;
};

class DockerImageBuilder : public ImageBuilder {
 public:
  explicit DockerImageBuilder(DockerClient& docker) : docker_(docker) {}
  std::string name() const override { return "docker"; }
  std::vector<ImagePlatform> base_platforms(const std::string& base_ref) override;
  // Always has the engine pull the FROM image for the platform (pull=1), since the
  // engine keeps one image per tag and would otherwise reuse one of another architecture.
  BuiltImage build(const ImageBuildRequest& request) override;

 private:
  DockerClient& docker_;
};

// Throws a lava::Error naming `base_ref` and `platform` when `offered` lacks it.
void require_platform(const std::vector<ImagePlatform>& offered, const std::string& base_ref,
                      const std::string& platform);

}  // namespace lava::engine
