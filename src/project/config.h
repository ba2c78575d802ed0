// One environment's configuration file: config/<env>.yaml.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "project/platform.h"
#include "project/yaml_load.h"

namespace lava::project {

// Where install pushes: docker.registry.
struct RegistryTarget {
  enum class Kind { kEcr, kHost };
  Kind kind = Kind::kEcr;
  std::string account_id;  // ecr:<account-id>; empty means the caller's account
  std::string host;        // host[:port] for Kind::kHost
  std::string str() const;
};

inline constexpr const char* kDefaultBaseImage = "ghcr.io/jin-gizmo/lava/amzn2023/base";

struct Config {
  std::filesystem::path file;  // as given, e.g. "config/dev.yaml" relative to the project
  std::string env;
  Json values;  // the whole file, for templates

  std::string realm;
  std::string docker_repo;  // prefix.docker_repo
  std::string base_img;     // docker.base_img
  PlatformSpec platforms;   // docker.platform, or --platform
  bool platform_defaulted = false;  // docker.platform absent and no --platform
  RegistryTarget registry;          // docker.registry
  bool os_upgrade = true;           // docker.os_upgrade
  bool insecure_registry = false;   // docker.insecure_registry
  // docker.dockerfile: "stock" builds the framework's stock etc/Dockerfile as it is; absent
  // or "auto" replaces it with the built-in default (project/framework_files.h).
  bool stock_dockerfile_as_is = false;
  bool follow_external_links = true;  // docker.follow_external_links
  std::vector<std::string> notices;
};

// Loads config/<env>.yaml under `project_dir`; `platform_override` is --platform.
Config load_config(const std::filesystem::path& project_dir, const std::string& env,
                   const std::optional<std::string>& platform_override = std::nullopt);

// Loads a config file at any path (the framework drop-in's -c); `shown` names it in messages
// and is recorded as Config::file.
Config load_config_file(const std::filesystem::path& full, const std::string& shown,
                        const std::string& env,
                        const std::optional<std::string>& platform_override = std::nullopt);

// Environments a project defines (config/*.yaml stems), sorted.
std::vector<std::string> list_envs(const std::filesystem::path& project_dir);

// Parses a docker.registry value; `where` names the key in errors.
RegistryTarget parse_registry(const std::string& value, const std::string& where);

}  // namespace lava::project
