// A content descriptor: what a manifest or index says about one blob.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "oci/platform.h"

namespace lava::oci {

inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
  std::string artifact_type;

  static Descriptor of(std::string_view media_type, Digest digest, int64_t size) {
    Descriptor d;
    d.media_type = std::string(media_type);
    d.digest = std::move(digest);
    d.size = size;
    return d;
  }
  nlohmann::json to_json() const;
  // `where` names the document in errors.
  static Descriptor from_json(const nlohmann::json& j, const std::string& where);
  bool operator==(const Descriptor&) const = default;
};

}  // namespace lava::oci
