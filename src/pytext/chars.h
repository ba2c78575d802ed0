// Python's classes of one code point (Python 3.11, Unicode 14.0), from one table generated
// by Python itself (gen_unicode_table.py): what str.isalpha() and friends, regex \w \d \s,
// repr() escaping and identifiers decide.
#pragma once

namespace lava::pytext {

bool is_word(char32_t c);              // regex \w: str.isalnum() or '_'
bool is_alnum(char32_t c);             // str.isalnum
bool is_alpha(char32_t c);             // str.isalpha
bool is_decimal(char32_t c);           // str.isdecimal, regex \d
bool is_space(char32_t c);             // str.isspace, str.split(), regex \s
bool is_printable(char32_t c);         // str.isprintable: decides repr() escaping
bool is_identifier_start(char32_t c);  // chr(c).isidentifier()
bool is_upper(char32_t c);             // chr(c).isupper()
bool is_lower(char32_t c);             // chr(c).islower()

inline bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

}  // namespace lava::pytext
