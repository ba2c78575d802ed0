// Image manifests and image indexes (OCI and Docker v2 schema 2), parsed and serialized.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"

namespace lava::oci {

struct Manifest {
  int schema_version = 2;
  std::string media_type = std::string(media_type_default());
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::map<std::string, std::string> annotations;
  std::optional<Descriptor> subject;

  static std::string_view media_type_default();
  // `where` names the document in errors.
  static Manifest parse(std::string_view json, const std::string& where = "manifest");
  // Canonical bytes (sorted keys, no spaces): the digest is over exactly these.
  std::string to_json() const;
};

struct Index {
  int schema_version = 2;
  std::string media_type = std::string(media_type_default());
  std::string artifact_type;
  std::vector<Descriptor> manifests;
  std::map<std::string, std::string> annotations;

  static std::string_view media_type_default();
  static Index parse(std::string_view json, const std::string& where = "index");
  std::string to_json() const;
};

// The media type a manifest document declares, or infers from its shape when it omits
// mediaType (which OCI allows): "manifests" → OCI index, "config" → OCI manifest.
// Throws lava::Error when it is not JSON or neither.
std::string detect_media_type(std::string_view json, const std::string& where = "manifest");

}  // namespace lava::oci
