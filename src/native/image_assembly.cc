#include "native/image_assembly.h"

#include <ctime>

#include "oci/media_types.h"
#include "util/error.h"

namespace lava::native {

namespace {

void set_env(nlohmann::json& env, const std::string& key, const std::string& value) {
  for (auto& item : env) {
    if (item.is_string() && item.get<std::string>().rfind(key + "=", 0) == 0) {
      item = key + "=" + value;
      return;
    }
  }
  env.push_back(key + "=" + value);
}

std::map<std::string, std::string> annotations_of(const Provenance& p) {
  std::map<std::string, std::string> a;
  a["org.opencontainers.image.created"] = rfc3339(p.created);
  if (!p.source.empty()) a["org.opencontainers.image.source"] = p.source;
  if (!p.revision.empty()) a["org.opencontainers.image.revision"] = p.revision;
  if (!p.title.empty()) a["org.opencontainers.image.title"] = p.title;
  return a;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& default_env() {
  static const std::vector<std::pair<std::string, std::string>> kEnv = {
      {"LANG", "C.UTF-8"}, {"PYTHONDONTWRITEBYTECODE", "1"}, {"PYTHONUNBUFFERED", "1"}};
  return kEnv;
}

std::string rfc3339(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) throw Error("time " + std::to_string(epoch_seconds) + " is out of range");
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string image_config_json(const oci::ImageConfig& base, const std::vector<AddedLayer>& layers,
                              const Provenance& provenance) {
  nlohmann::json j = base.json();
  // These describe the container the base was committed from, not ours.
  for (const char* stale : {"container", "container_config", "docker_version"}) j.erase(stale);
  const std::string created = rfc3339(provenance.created);
  j["created"] = created;

  nlohmann::json& config = j["config"];
  if (!config.is_object()) config = nlohmann::json::object();
  nlohmann::json& env = config["Env"];
  if (!env.is_array()) env = nlohmann::json::array();
  std::string env_text;
  for (const auto& [k, v] : default_env()) {
    set_env(env, k, v);
    env_text += (env_text.empty() ? "" : " ") + k + "=" + v;
  }
  config["User"] = kDefaultUser;

  nlohmann::json& labels = config["Labels"];
  if (!labels.is_object()) labels = nlohmann::json::object();
  // The base's own provenance would describe the base, not this image.
  for (const char* key :
       {"org.opencontainers.image.source", "org.opencontainers.image.revision",
        "org.opencontainers.image.title", "org.opencontainers.image.created",
        "org.opencontainers.image.version", "org.opencontainers.image.url",
        "org.opencontainers.image.documentation", "org.opencontainers.image.description"})
    labels.erase(key);
  for (const auto& [k, v] : annotations_of(provenance)) labels[k] = v;
  labels[kBuilderLabel] = provenance.builder;

  nlohmann::json& rootfs = j["rootfs"];
  if (!rootfs.is_object()) rootfs = {{"type", "layers"}};
  rootfs["type"] = "layers";
  nlohmann::json& diff_ids = rootfs["diff_ids"];
  if (!diff_ids.is_array()) diff_ids = nlohmann::json::array();
  for (const auto& l : layers) diff_ids.push_back(l.blob.diff_id.str());

  nlohmann::json& history = j["history"];
  if (!history.is_array()) history = nlohmann::json::array();
  const std::string comment = provenance.builder;
  for (const auto& l : layers)
    history.push_back({{"created", created}, {"created_by", l.created_by}, {"comment", comment}});
  history.push_back({{"created", created},
                     {"created_by", "ENV " + env_text},
                     {"comment", comment},
                     {"empty_layer", true}});
  history.push_back({{"created", created},
                     {"created_by", std::string("USER ") + kDefaultUser},
                     {"comment", comment},
                     {"empty_layer", true}});
  return j.dump();
}

oci::Manifest image_manifest(const oci::Manifest& base, const oci::Descriptor& base_manifest,
                             const std::vector<AddedLayer>& layers, const oci::Descriptor& config,
                             const Provenance& provenance) {
  oci::Manifest m;
  m.media_type = std::string(oci::media::kOciManifest);
  m.config = oci::Descriptor::of(oci::media::kOciConfig, config.digest, config.size);
  for (const auto& l : base.layers) {
    if (!oci::media::is_gzip_layer(l.media_type) && l.media_type != oci::media::kOciLayer &&
        l.media_type != oci::media::kOciLayerZstd)
      throw Error("base image " + provenance.base_name + ": layer " + l.digest.str() +
                  " has unsupported media type " + l.media_type);
    oci::Descriptor d = oci::Descriptor::of(l.media_type, l.digest, l.size);
    // Docker's gzip layer type has an OCI twin; foreign layers keep their type and URLs.
    if (l.media_type == oci::media::kDockerLayerGzip) d.media_type = oci::media::kOciLayerGzip;
    if (l.media_type == oci::media::kDockerForeignLayerGzip) d.urls = l.urls;
    m.layers.push_back(std::move(d));
  }
  for (const auto& l : layers)
    m.layers.push_back(oci::Descriptor::of(oci::media::kOciLayerGzip, l.blob.digest, l.blob.size));
  m.annotations = annotations_of(provenance);
  if (!provenance.base_name.empty())
    m.annotations["org.opencontainers.image.base.name"] = provenance.base_name;
  m.annotations["org.opencontainers.image.base.digest"] = base_manifest.digest.str();
  return m;
}

}  // namespace lava::native
