#include "project/dist_layout.h"

#include "util/error.h"
#include "util/file_io.h"

namespace lava::project {

namespace fs = std::filesystem;

DistLayout dist_layout(const fs::path& project_dir, const std::string& env) {
  return DistLayout{project_dir / "dist" / env};
}

Json read_realm_info(const DistLayout& dist) {
  std::error_code ec;
  if (!fs::exists(dist.realm_file(), ec)) return Json::object();
  std::string text = read_file(dist.realm_file());
  try {
    Json j = Json::parse(text);
    if (!j.is_object()) throw Error(dist.realm_file().string() + ": must hold a JSON object");
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(dist.realm_file().string() + ": invalid JSON: " + e.what());
  }
}

}  // namespace lava::project
