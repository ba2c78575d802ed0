#include "builder/build_state.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file_io.h"

namespace lava::builder {

namespace fs = std::filesystem;

namespace {
fs::path state_file(const project::DistLayout& dist, const std::string& payload) {
  return dist.state_dir(payload) / "build.json";
}
}  // namespace

std::optional<BuildState> read_build_state(const project::DistLayout& dist,
                                           const std::string& payload) {
  std::error_code ec;
  if (!fs::exists(state_file(dist, payload), ec)) return std::nullopt;
  try {
    auto j = nlohmann::json::parse(read_file(state_file(dist, payload)));
    BuildState s;
    s.engine = j.at("engine").get<std::string>();
    s.stamp = j.at("stamp").get<std::string>();
    s.index_digest = j.value("index_digest", "");
    s.base_digest = j.value("base_digest", "");
    for (const auto& i : j.at("images"))
      s.images.push_back({i.at("platform").get<std::string>(), i.at("tag").get<std::string>(),
                          i.at("image_id").get<std::string>()});
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void write_build_state(const project::DistLayout& dist, const std::string& payload,
                       const BuildState& state) {
  nlohmann::json j;
  j["engine"] = state.engine;
  j["stamp"] = state.stamp;
  if (!state.index_digest.empty()) j["index_digest"] = state.index_digest;
  if (!state.base_digest.empty()) j["base_digest"] = state.base_digest;
  j["images"] = nlohmann::json::array();
  for (const auto& i : state.images)
    j["images"].push_back({{"platform", i.platform}, {"tag", i.tag}, {"image_id", i.image_id}});
  write_file_atomic(state_file(dist, payload), j.dump(2) + "\n");

  // The framework's --iidfile holds the bare image id; with several platforms, one per line.
  std::string ids;
  if (!state.index_digest.empty()) {
    ids = state.index_digest;
  } else if (state.images.size() == 1) {
    ids = state.images[0].image_id;
  } else {
    for (const auto& i : state.images) ids += i.image_id + " " + i.platform + "\n";
  }
  write_file_atomic(dist.image_id_file(payload), ids);
}

}  // namespace lava::builder
