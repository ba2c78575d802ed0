// A lava framework project opened for one environment.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "project/config.h"
#include "project/dist_layout.h"
#include "project/payload.h"

namespace lava::project {

struct Project {
  std::filesystem::path root;
  Config config;
  DistLayout dist;
  std::vector<Payload> payloads;
  // The Dockerfile payloads without their own use: etc/Dockerfile (or the drop-in's
  // DOCKERFILE argument). Used only when it is a regular file.
  std::filesystem::path fallback_dockerfile;
  std::string fallback_shown = "etc/Dockerfile";  // how messages name it
  // The fallback is the framework's stock Dockerfile and docker.dockerfile is not "stock":
  // payloads without their own Dockerfile build with the built-in default instead.
  bool stock_fallback_replaced = false;
  // What to tell the user once about the fallback (stock replaced; PIP_INDEX_URL in ENV).
  std::vector<std::string> dockerfile_notices;
  std::vector<std::string> dockerfile_warnings;
};

// Reads the fallback Dockerfile (when present) and sets stock_fallback_replaced,
// dockerfile_notices and dockerfile_warnings; open_project calls it, the framework drop-in after changing the path.
void classify_fallback_dockerfile(Project& project);

Project open_project(const std::filesystem::path& root, const std::string& env,
                     const std::optional<std::string>& platform_override = std::nullopt);

}  // namespace lava::project
