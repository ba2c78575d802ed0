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
};

Project open_project(const std::filesystem::path& root, const std::string& env,
                     const std::optional<std::string>& platform_override = std::nullopt);

}  // namespace lava::project
