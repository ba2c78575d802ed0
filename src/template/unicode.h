// UTF-8 text as Python's str sees it: code points, character classes and case mapping.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lava::tmpl::uni {

// True when every byte is below 0x80 (then bytes == code points).
bool is_ascii(std::string_view s);
// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool valid_utf8(std::string_view s);

// Decodes the code point starting at s[i] and advances i past it. Malformed bytes decode
// as themselves (Latin-1) so that the functions below never loop forever.
char32_t next(std::string_view s, size_t& i);
void append(std::string& out, char32_t c);
std::u32string decode(std::string_view s);
std::string encode(std::u32string_view s);
// Number of code points (Python len()).
size_t length(std::string_view s);

// Python's str predicates for one code point.
bool is_space(char32_t c);    // str.isspace / split()
bool is_alpha(char32_t c);    // str.isalpha
bool is_decimal(char32_t c);  // str.isdecimal / isdigit (close enough)
bool is_alnum(char32_t c);
bool is_upper(char32_t c);
bool is_lower(char32_t c);
bool is_cased(char32_t c);
bool is_printable(char32_t c);  // str.isprintable: decides repr() escaping
char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);

// Whole-string conversions (Python str.upper / lower / swapcase / title / capitalize).
std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string swapcase(std::string_view s);
std::string title(std::string_view s);
std::string capitalize(std::string_view s);

}  // namespace lava::tmpl::uni
