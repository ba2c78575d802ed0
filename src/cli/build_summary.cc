#include "cli/build_summary.h"

#include <cstdio>
#include <filesystem>

#include "oci/layout.h"

namespace lava::cli {

namespace fs = std::filesystem;

namespace {

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  return buf;
}

// Per-platform manifest digests of a native build's layout, in the index's order (the
// state's order too); empty when the layout cannot be read (a Docker-engine build).
std::vector<std::string> manifest_digests(const project::Project& project,
                                          const project::Payload& payload,
                                          const builder::BuildState& state) {
  std::vector<std::string> out;
  if (state.index_digest.empty()) return out;
  try {
    auto layout = oci::Layout::open(project.dist.oci_layout(payload.name));
    for (const auto& root : layout.read_index().manifests) {
      if (root.digest.str() != state.index_digest) continue;
      for (const auto& m : layout.read_image_index(root).manifests) out.push_back(m.digest.str());
    }
  } catch (const std::exception&) {
    out.clear();  // only a detail of the summary: leave it out rather than fail the build
  }
  if (out.size() != state.images.size()) out.clear();
  return out;
}

}  // namespace

std::string build_summary_line(const project::Payload& payload, const builder::BuildState& state,
                               bool rebuilt, double seconds) {
  std::string line = payload.name + "\t" + (rebuilt ? "built" : "up-to-date");
  if (!state.index_digest.empty()) line += "\tindex=" + state.index_digest;
  for (const auto& img : state.images) line += "\t" + img.platform + "=" + img.image_id;
  return line + "\t" + seconds_text(seconds);
}

nlohmann::ordered_json build_summary_json(const project::Project& project,
                                          const project::Payload& payload,
                                          const builder::BuildState& state, bool rebuilt,
                                          double seconds) {
  nlohmann::ordered_json j;
  j["payload"] = payload.name;
  j["status"] = rebuilt ? "built" : "up-to-date";
  j["engine"] = state.engine;
  j["reference"] = payload.image + ":latest";
  j["dockerimg"] = fs::relative(project.dist.image_id_file(payload.name), project.root).string();
  j["index_digest"] = state.index_digest.empty() ? nlohmann::ordered_json()
                                                 : nlohmann::ordered_json(state.index_digest);
  auto manifests = manifest_digests(project, payload, state);
  j["platforms"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < state.images.size(); ++i) {
    const auto& img = state.images[i];
    j["platforms"].push_back(
        {{"platform", img.platform},
         {"tag", img.tag},
         {"image_id", img.image_id},
         {"manifest_digest",
          manifests.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(manifests[i])}});
  }
  j["seconds"] = static_cast<double>(static_cast<int64_t>(seconds * 10 + 0.5)) / 10;
  return j;
}

}  // namespace lava::cli
