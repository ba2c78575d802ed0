#include "oci/descriptor.h"

#include "util/error.h"

namespace lava::oci {

nlohmann::json Descriptor::to_json() const {
  nlohmann::json j = {{"mediaType", media_type}, {"digest", digest.str()}, {"size", size}};
  if (!urls.empty()) j["urls"] = urls;
  if (!annotations.empty()) j["annotations"] = annotations;
  if (platform) j["platform"] = platform->to_json();
  if (!artifact_type.empty()) j["artifactType"] = artifact_type;
  return j;
}

Descriptor Descriptor::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": descriptor is not a JSON object");
  Descriptor d;
  try {
    d.media_type = j.value("mediaType", "");
    if (!j.contains("digest") || !j["digest"].is_string())
      throw Error(where + ": descriptor without a digest");
    d.digest = Digest::parse(j["digest"].get<std::string>());
    if (!j.contains("size") || !j["size"].is_number_integer() || j["size"].get<int64_t>() < 0)
      throw Error(where + ": descriptor " + d.digest.str() + " without a valid size");
    d.size = j["size"].get<int64_t>();
    if (j.contains("urls")) d.urls = j["urls"].get<std::vector<std::string>>();
    if (j.contains("annotations"))
      d.annotations = j["annotations"].get<std::map<std::string, std::string>>();
    if (j.contains("platform")) d.platform = Platform::from_json(j["platform"]);
    d.artifact_type = j.value("artifactType", "");
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": malformed descriptor: " + e.what());
  } catch (const Error& e) {
    if (std::string(e.what()).starts_with(where)) throw;
    throw Error(where + ": " + e.what());
  }
  return d;
}

}  // namespace lava::oci
