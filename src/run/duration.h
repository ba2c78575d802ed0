// Run timeouts as lava writes them: "30s", "5m", "1h".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace lava::run {

// A number (integer or decimal) with an optional unit: s, m, h, d, w; no unit means
// seconds, as in lava's own duration parsing; blanks around are ignored. Zero, negative
// or malformed values are a lava::UsageError that names `option` and the value.
std::chrono::milliseconds parse_duration(std::string_view text,
                                         std::string_view option = "--timeout");

// "10m", "90s", "1h30m", "1.5s": for messages.
std::string format_duration(std::chrono::milliseconds d);

}  // namespace lava::run
