// `lava-docker migrate`: record the platform default in configs that predate it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lava::project {

// The text of a config with "platform: linux/amd64" added under its docker: mapping
// (created when absent), every other byte unchanged; nullopt when docker.platform is
// already set. `source` names the file in errors.
std::optional<std::string> add_default_platform(std::string_view text, const std::string& source);

// Migrates every config/*.yaml of the project atomically; returns the files changed.
std::vector<std::filesystem::path> migrate_project(const std::filesystem::path& project_dir);

}  // namespace lava::project
