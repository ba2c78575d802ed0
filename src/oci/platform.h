// The platform an image runs on, as OCI descriptors and image configs record it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lava::oci {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string os_version;
  std::vector<std::string> os_features;

  // "linux/amd64", "linux/arm64/v8", "linux/arm/v7".
  static Platform parse(const std::string& text);
  std::string str() const;
  // Same os and architecture, and the same variant once defaults are filled in (arm64
  // means v8; an empty wanted variant accepts any).
  bool matches(const Platform& wanted) const;
  bool operator==(const Platform&) const = default;

  nlohmann::json to_json() const;
  static Platform from_json(const nlohmann::json& j);
};

}  // namespace lava::oci
