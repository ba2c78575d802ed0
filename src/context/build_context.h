// The build context of one payload: the clean, rendered, converted copy the engine builds.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "project/project.h"

namespace lava::context {

enum class DockerfileOrigin { kPayload, kProject, kBuiltIn };

struct BuildContext {
  std::filesystem::path dir;  // holds the rendered Dockerfile at its root
  DockerfileOrigin dockerfile_origin = DockerfileOrigin::kBuiltIn;
  std::string
      dockerfile_shown;  // "lava-payloads/x.docker/Dockerfile", "etc/Dockerfile", "built-in"
  // "Dockerfile" and/or ".dockerignore" when .dockerignore lists them: they stay in `dir`
  // (the Docker engine reads them and drops them itself), but must not reach the image.
  std::vector<std::string> not_in_image;
  // One per followed link that leads outside the project, naming it and its size.
  std::vector<std::string> warnings;
};

// The variables templates see: the config file's keys plus env=<env>.
project::Json template_params(const project::Project& project);

// Which Dockerfile a payload builds with, before any copying.
DockerfileOrigin dockerfile_origin(const project::Project& project,
                                   const project::Payload& payload);

// Makes the context in `dest` (which must not exist): copy following symlinks, render every
// file under env/ and the Dockerfile with <{ }> delimiters, convert notebooks (magics
// commented) and remove them. Errors name the payload file at fault.
BuildContext prepare_context(const project::Project& project, const project::Payload& payload,
                             const std::filesystem::path& dest);

}  // namespace lava::context
