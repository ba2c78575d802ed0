#include "util/redact.h"

#include <mutex>
#include <regex>
#include <vector>

namespace lava {

namespace {
std::mutex g_mutex;
std::vector<std::string>& secrets() {
  static std::vector<std::string> s;
  return s;
}
}  // namespace

void add_secret(std::string secret) {
  if (secret.size() < 4) return;  // masking tiny strings would garble ordinary text
  std::lock_guard lock(g_mutex);
  secrets().push_back(std::move(secret));
}

std::string redact(std::string_view text) {
  static const std::regex userinfo(R"(([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@)");
  std::string out = std::regex_replace(std::string(text), userinfo, "$1***@");
  std::lock_guard lock(g_mutex);
  for (const auto& s : secrets()) {
    for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos + 3)) {
      out.replace(pos, s.size(), "***");
    }
  }
  return out;
}

}  // namespace lava
