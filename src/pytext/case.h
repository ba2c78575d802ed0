// Python's case conversions of str (upper, lower, swapcase, title, capitalize) over UTF-8.
// One code point maps to one, from the C library's Unicode tables (C.UTF-8), except
// for the full mapping of U+00DF (sharp s) to "SS" that str.upper() makes.
#pragma once

#include <string>
#include <string_view>

namespace lava::pytext {

char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);
// Has an upper- or lower-case form (what str.title() treats as part of a word).
bool is_cased(char32_t c);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string swapcase(std::string_view s);
std::string title(std::string_view s);
std::string capitalize(std::string_view s);

}  // namespace lava::pytext
