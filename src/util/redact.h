// Secrets never reach a message: every string shown to a user passes through here.
#pragma once

#include <string>
#include <string_view>

namespace lava {

// Replaces the user:password part of any URL ("scheme://user:pass@host") with "***@",
// and any value registered with add_secret() with "***".
std::string redact(std::string_view text);

// Registers a literal secret (a token, a password) to be masked by redact().
void add_secret(std::string secret);

}  // namespace lava
