#include "oci/image_config.h"

#include "util/error.h"

namespace lava::oci {

ImageConfig ImageConfig::parse(std::string_view text, const std::string& where) {
  ImageConfig c;
  c.json_ = nlohmann::json::parse(text, nullptr, false);
  if (c.json_.is_discarded() || !c.json_.is_object()) throw Error(where + ": not a JSON object");
  if (!c.json_.contains("architecture") || !c.json_.contains("os"))
    throw Error(where + ": missing os or architecture");
  c.diff_ids();  // validates
  return c;
}

Platform ImageConfig::platform() const {
  Platform p;
  p.os = json_.value("os", "");
  p.architecture = json_.value("architecture", "");
  p.variant = json_.value("variant", "");
  p.os_version = json_.value("os.version", "");
  return p;
}

std::vector<Digest> ImageConfig::diff_ids() const {
  std::vector<Digest> out;
  if (!json_.contains("rootfs")) return out;
  const auto& rootfs = json_["rootfs"];
  if (!rootfs.is_object() || !rootfs.contains("diff_ids")) return out;
  if (!rootfs["diff_ids"].is_array()) throw Error("image config: rootfs.diff_ids is not an array");
  for (const auto& d : rootfs["diff_ids"]) {
    if (!d.is_string()) throw Error("image config: rootfs.diff_ids holds a non-string");
    out.push_back(Digest::parse(d.get<std::string>()));
  }
  return out;
}

}  // namespace lava::oci
