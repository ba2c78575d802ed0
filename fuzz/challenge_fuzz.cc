// libFuzzer target over the WWW-Authenticate parser (registry/challenge.h): a registry
// answers 401 with whatever header it likes. Checked: parsing never throws or reads out
// of bounds, schemes and parameter names come back lower-case and non-empty, and a
// challenge rebuilt from the parsed parts parses back to the same parts.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "registry/challenge.h"

namespace {

bool is_lower_token(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (std::isupper(c) || c == ' ' || c == '\t' || c == ',' || c == '=') return false;
  return true;
}

std::string quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(bytes), size);
  auto challenges = lava::registry::parse_challenges(header);
  std::string rebuilt;
  for (const auto& c : challenges) {
    if (!is_lower_token(c.scheme)) std::abort();
    if (!rebuilt.empty()) rebuilt += ", ";
    rebuilt += c.scheme;
    bool first = true;
    for (const auto& [name, value] : c.params) {
      if (!is_lower_token(name)) std::abort();
      rebuilt += first ? " " : ", ";
      rebuilt += name + "=" + quote(value);
      first = false;
    }
  }
  auto again = lava::registry::parse_challenges(rebuilt);
  if (again.size() != challenges.size()) std::abort();
  for (size_t i = 0; i < again.size(); ++i)
    if (again[i].scheme != challenges[i].scheme || again[i].params != challenges[i].params)
      std::abort();
  return 0;
}
