#include "builder/build_request.h"

#include <cstdlib>

#include "util/error.h"
#include "util/redact.h"

namespace lava::builder {

std::vector<std::pair<std::string, std::string>> standard_build_args(
    const std::string& base_img, const std::vector<std::string>& extra) {
  std::vector<std::pair<std::string, std::string>> args;
  args.emplace_back("BASE_IMG", base_img);
  if (const char* pip = std::getenv("PIP_INDEX_URL"); pip != nullptr && *pip != '\0') {
    add_secret(pip);
    args.emplace_back("PIP_INDEX_URL", pip);
  }
  for (const auto& e : extra) {
    auto eq = e.find('=');
    std::string key = e.substr(0, eq);
    if (key.empty()) throw UsageError("--build-arg: '" + e + "' is not KEY=VALUE");
    std::string value;
    if (eq != std::string::npos) {
      value = e.substr(eq + 1);
    } else if (const char* v = std::getenv(key.c_str()); v != nullptr) {
      value = v;
    } else {
      continue;  // docker skips an unset KEY too
    }
    if (key == "PIP_INDEX_URL") add_secret(value);
    bool replaced = false;
    for (auto& [k, v] : args)
      if (k == key) v = value, replaced = true;
    if (!replaced) args.emplace_back(key, value);
  }
  return args;
}

}  // namespace lava::builder
