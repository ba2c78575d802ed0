#include "oci/platform.h"

#include "util/error.h"

namespace lava::oci {

namespace {
std::string default_variant(const Platform& p) {
  if (!p.variant.empty()) return p.variant;
  if (p.architecture == "arm64") return "v8";
  return "";
}
}  // namespace

Platform Platform::parse(const std::string& text) {
  Platform p;
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty())
    throw Error("invalid platform \"" + text + "\": expected os/arch[/variant]");
  p.os = parts[0];
  p.architecture = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  return p;
}

std::string Platform::str() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

bool Platform::matches(const Platform& wanted) const {
  if (os != wanted.os || architecture != wanted.architecture) return false;
  if (wanted.variant.empty()) return true;
  return default_variant(*this) == default_variant(wanted);
}

nlohmann::json Platform::to_json() const {
  nlohmann::json j = {{"os", os}, {"architecture", architecture}};
  if (!variant.empty()) j["variant"] = variant;
  if (!os_version.empty()) j["os.version"] = os_version;
  if (!os_features.empty()) j["os.features"] = os_features;
  return j;
}

Platform Platform::from_json(const nlohmann::json& j) {
  Platform p;
  if (!j.is_object()) throw Error("platform: expected a JSON object");
  p.os = j.value("os", "");
  p.architecture = j.value("architecture", "");
  p.variant = j.value("variant", "");
  p.os_version = j.value("os.version", "");
  if (j.contains("os.features") && j["os.features"].is_array())
    p.os_features = j["os.features"].get<std::vector<std::string>>();
  return p;
}

}  // namespace lava::oci
