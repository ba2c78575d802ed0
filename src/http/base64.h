// Base64 (RFC 4648, with padding) for HTTP Basic credentials and AWS tokens.
#pragma once

#include <string>
#include <string_view>

namespace lava::http {

std::string base64_encode(std::string_view data);
// Throws lava::Error on malformed input; whitespace is ignored.
std::string base64_decode(std::string_view text);

}  // namespace lava::http
