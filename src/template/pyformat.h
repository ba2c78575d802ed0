// Python's number parsing and the two string formatting languages: printf-style
// (`"%s" % x`, the `format` filter) and format specs (`"{:>5}".format(x)`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "template/value.h"

namespace lava::tmpl {

// int(text, base) for base 0 or 2..36: surrounding whitespace, sign and single underscores
// between digits allowed. nullopt when Python raises ValueError; throws on 64-bit overflow.
std::optional<int64_t> parse_py_int(std::string_view text, int base);
// float(text): nullopt when Python raises ValueError.
std::optional<double> parse_py_float(std::string_view text);

// format(value, spec) (the format-spec mini-language).
std::string format_spec(const Value& v, std::string_view spec);
// fmt % args (printf-style). `args` may be a tuple, a mapping or a single value.
std::string percent_format(std::string_view fmt, const Value& args);

}  // namespace lava::tmpl
