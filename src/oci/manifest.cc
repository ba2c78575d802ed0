#include "oci/manifest.h"

#include <nlohmann/json.hpp>

#include "oci/media_types.h"
#include "util/error.h"

namespace lava::oci {

using nlohmann::json;

namespace {

json parse_object(std::string_view text, const std::string& where) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(where + ": not a JSON object");
  return j;
}

int read_schema_version(const json& j, const std::string& where) {
  if (!j.contains("schemaVersion") || !j["schemaVersion"].is_number_integer() ||
      j["schemaVersion"].get<int>() != 2)
    throw Error(where + ": schemaVersion must be 2");
  return 2;
}

std::map<std::string, std::string> read_annotations(const json& j, const std::string& where) {
  if (!j.contains("annotations")) return {};
  try {
    return j["annotations"].get<std::map<std::string, std::string>>();
  } catch (const json::exception&) {
    throw Error(where + ": annotations must map strings to strings");
  }
}

}  // namespace

std::string_view Manifest::media_type_default() {
  return media::kOciManifest;
}
std::string_view Index::media_type_default() {
  return media::kOciIndex;
}

Manifest Manifest::parse(std::string_view text, const std::string& where) {
  json j = parse_object(text, where);
  Manifest m;
  m.schema_version = read_schema_version(j, where);
  m.media_type = detect_media_type(text, where);
  if (!media::is_manifest(m.media_type))
    throw Error(where + ": media type " + m.media_type + " is not an image manifest");
  if (!j.contains("config")) throw Error(where + ": image manifest without a config");
  m.config = Descriptor::from_json(j["config"], where + " config");
  if (!j.contains("layers") || !j["layers"].is_array())
    throw Error(where + ": image manifest without a layers array");
  for (size_t i = 0; i < j["layers"].size(); ++i)
    m.layers.push_back(
        Descriptor::from_json(j["layers"][i], where + " layer " + std::to_string(i)));
  m.annotations = read_annotations(j, where);
  m.artifact_type = j.value("artifactType", "");
  if (j.contains("subject")) m.subject = Descriptor::from_json(j["subject"], where + " subject");
  return m;
}

std::string Manifest::to_json() const {
  json layer_list = json::array();
  for (const auto& l : layers) layer_list.push_back(l.to_json());
  json j = {{"schemaVersion", schema_version},
            {"mediaType", media_type},
            {"config", config.to_json()},
            {"layers", layer_list}};
  if (!annotations.empty()) j["annotations"] = annotations;
  if (!artifact_type.empty()) j["artifactType"] = artifact_type;
  if (subject) j["subject"] = subject->to_json();
  return j.dump();
}

Index Index::parse(std::string_view text, const std::string& where) {
  json j = parse_object(text, where);
  Index x;
  x.schema_version = read_schema_version(j, where);
  x.media_type = detect_media_type(text, where);
  if (!media::is_index(x.media_type))
    throw Error(where + ": media type " + x.media_type + " is not an image index");
  if (!j.contains("manifests") || !j["manifests"].is_array())
    throw Error(where + ": image index without a manifests array");
  for (size_t i = 0; i < j["manifests"].size(); ++i)
    x.manifests.push_back(
        Descriptor::from_json(j["manifests"][i], where + " manifest " + std::to_string(i)));
  x.annotations = read_annotations(j, where);
  x.artifact_type = j.value("artifactType", "");
  return x;
}

std::string Index::to_json() const {
  json list = json::array();
  for (const auto& m : manifests) list.push_back(m.to_json());
  json j = {{"schemaVersion", schema_version}, {"mediaType", media_type}, {"manifests", list}};
  if (!annotations.empty()) j["annotations"] = annotations;
  if (!artifact_type.empty()) j["artifactType"] = artifact_type;
  return j.dump();
}

std::string detect_media_type(std::string_view text, const std::string& where) {
  json j = parse_object(text, where);
  if (j.contains("mediaType") && j["mediaType"].is_string())
    return j["mediaType"].get<std::string>();
  if (j.contains("manifests")) return std::string(media::kOciIndex);
  if (j.contains("config")) return std::string(media::kOciManifest);
  throw Error(where + ": neither an image manifest nor an image index");
}

}  // namespace lava::oci
