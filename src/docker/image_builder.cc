#include "docker/image_builder.h"

#include "util/error.h"

namespace lava::docker {

void require_platform(const std::vector<ImagePlatform>& offered, const std::string& base_ref,
                      const std::string& platform) {
  DistributionInfo info;
  info.platforms = offered;
  if (info.offers(platform)) return;
  std::string list;
  for (const auto& p : offered) list += (list.empty() ? "" : ", ") + p.str();
  throw Error("base image " + base_ref + " has no " + platform + " variant (it offers " +
              (list.empty() ? std::string("none") : list) + ")");
}

std::vector<ImagePlatform> DockerImageBuilder::base_platforms(const std::string& base_ref) {
  return docker_.distribution_inspect(base_ref).platforms;
}

EngineImage DockerImageBuilder::build(const ImageBuildRequest& r) {
  BuildOptions o;
  o.context_dir = r.context_dir;
  o.extra_files = r.extra_files;
  o.dockerfile = r.dockerfile;
  o.tags = r.tags;
  o.build_args = r.build_args;
  o.labels = r.labels;
  o.platform = r.platform;
  o.network_mode = r.network_mode;
  o.pull = r.pull;
  o.no_cache = r.no_cache;
  o.quiet = r.quiet;
  o.on_event = r.on_event;
  BuildResult result = docker_.build(o);
  auto img = docker_.inspect_image(result.image_id);
  if (!img) throw Error("the Docker engine lost the image it just built (" + result.image_id + ")");
  if (!r.platform.empty()) {
    DistributionInfo got;
    got.platforms = {img->platform()};
    if (!got.offers(r.platform)) {
      throw Error("the image built for " + r.platform + " is " + img->platform().str() +
                  (r.base_image.empty() ? std::string() : " (base " + r.base_image + ")") +
                  "; the engine cannot build for " + r.platform +
                  " here, or the base image lacks it");
    }
  }
  return {result.image_id, img->platform()};
}

}  // namespace lava::docker
