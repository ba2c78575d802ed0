// Python 3.11 `str` semantics the notebook conversion depends on, over UTF-32 text:
// character classes (regex \w \d \s, isprintable, isidentifier), repr(), strip/split
// and splitlines as CPython defines them. Columns in IPython's transformer are code
// point offsets, so the converter works on std::u32string throughout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lava::notebook {

using PyStr = std::u32string;
using PyView = std::u32string_view;

bool is_word_char(char32_t c);     // regex \w: str.isalnum() or '_'
bool is_decimal_char(char32_t c);  // regex \d: str.isdecimal()
bool is_space_char(char32_t c);    // regex \s, str.isspace(), str.strip()
bool is_printable_char(char32_t c);
bool is_identifier_start(char32_t c);  // chr(c).isidentifier()
inline bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

// UTF-8 <-> UTF-32. decode_utf8 throws lava::Error on malformed input.
PyStr decode_utf8(std::string_view utf8);
std::string encode_utf8(PyView text);
void append_utf8(std::string& out, PyView text);

// repr(s): the quote Python picks, backslash escapes for the rest.
PyStr py_repr(PyView s);

PyView py_rstrip(PyView s);              // s.rstrip()
PyView py_strip(PyView s);               // s.strip()
bool py_isspace(PyView s);               // s.isspace(): non-empty and all whitespace
std::vector<PyView> py_split(PyView s);  // s.split(): whitespace runs, no empties
// s.partition(' ') without the separator: text before and after the first space.
struct Partition {
  PyView head;
  PyView tail;
};
Partition py_partition_space(PyView s);
// s.splitlines(keepends=True), with every line boundary str.splitlines knows.
std::vector<PyStr> py_splitlines_keepends(PyView s);

inline bool starts_with(PyView s, PyView prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
inline bool ends_with(PyView s, PyView suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace lava::notebook
