// The image configuration blob: kept as JSON (so nothing we do not model is lost) with typed
// accessors for what we use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "oci/platform.h"

namespace lava::oci {

class ImageConfig {
 public:
  ImageConfig() : json_(nlohmann::json::object()) {}
  static ImageConfig parse(std::string_view text, const std::string& where = "image config");

  Platform platform() const;  // os, architecture, variant, os.version
  std::vector<Digest> diff_ids() const;
  nlohmann::json& json() { return json_; }
  const nlohmann::json& json() const { return json_; }
  std::string to_json() const { return json_.dump(); }

 private:
  nlohmann::json json_;
};

}  // namespace lava::oci
