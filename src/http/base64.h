// Base64 (RFC 4648, with padding) for HTTP Basic credentials, AWS tokens and the Engine API.
#pragma once

#include <string>
#include <string_view>

namespace lava::http {

std::string base64_encode(std::string_view data);
// The URL- and filename-safe alphabet ('-' and '_' for '+' and '/'), with padding: what the
// Docker Engine API wants in X-Registry-Auth and X-Registry-Config.
std::string base64url_encode(std::string_view data);
// Throws lava::Error on malformed input; whitespace is ignored.
std::string base64_decode(std::string_view text);

}  // namespace lava::http
