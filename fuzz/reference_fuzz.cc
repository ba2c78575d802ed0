// libFuzzer target over image references (registry/reference.h): they come from users'
// configuration and from registries' answers. Checked: only lava::Error escapes, a parsed
// reference prints as text that parses back to the same reference, and its registry is
// a host name a URL can carry.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "registry/reference.h"
#include "util/error.h"

namespace {

bool same(const lava::registry::Reference& a, const lava::registry::Reference& b) {
  return a.registry == b.registry && a.repository == b.repository && a.tag == b.tag &&
         a.digest == b.digest;
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == ':' || c == '[' || c == ']';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string text(reinterpret_cast<const char*>(bytes), size);
  lava::registry::Reference ref;
  try {
    ref = lava::registry::Reference::parse(text);
  } catch (const lava::Error&) {
    return 0;
  }
  if (ref.registry.empty() || ref.repository.empty()) std::abort();
  if (ref.tag.empty() && ref.digest.empty()) std::abort();
  for (char c : ref.registry)
    if (!host_char(c)) std::abort();
  if (!same(lava::registry::Reference::parse(ref.str()), ref)) std::abort();
  // Retagging keeps the name: the result parses back too.
  auto retagged = ref.with_tag("fuzz");
  if (!same(lava::registry::Reference::parse(retagged.str()), retagged)) std::abort();
  (void)lava::registry::api_host(ref.registry);
  (void)lava::registry::is_loopback_registry(ref.registry);
  return 0;
}
