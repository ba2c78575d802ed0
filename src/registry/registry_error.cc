#include "registry/registry_error.h"

#include <nlohmann/json.hpp>

#include "util/redact.h"

namespace lava::registry {

RegistryError registry_error(const std::string& what, const http::Response& r) {
  std::string code, detail;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object() && j.contains("errors") && j["errors"].is_array() &&
      !j["errors"].empty() && j["errors"][0].is_object()) {
    code = j["errors"][0].value("code", "");
    detail = j["errors"][0].value("message", "");
  } else if (!r.body.empty() && r.body.size() < 200 && r.body.find('<') == std::string::npos) {
    detail = r.body;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
  }
  std::string msg = what + ": HTTP " + std::to_string(r.status);
  if (!code.empty() || !detail.empty())
    msg += " (" + code + (code.empty() || detail.empty() ? "" : ": ") + detail + ")";
  return RegistryError(redact(msg), r.status, code);
}

}  // namespace lava::registry
