// WWW-Authenticate challenges (RFC 7235) as registries send them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lava::registry {

struct Challenge {
  std::string scheme;                         // lower-case: "bearer", "basic"
  std::map<std::string, std::string> params;  // lower-case names: realm, service, scope
};

// All challenges in one header value, e.g.
// `Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull"`.
std::vector<Challenge> parse_challenges(std::string_view header);

}  // namespace lava::registry
