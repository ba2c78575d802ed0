// Python 3.11 `str` operations the notebook conversion depends on, over UTF-32 text:
// repr(), strip/split and splitlines as CPython defines them (character classes and
// UTF-8 are pytext/'s). Columns in IPython's transformer are code
// point offsets, so the converter works on std::u32string throughout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lava::notebook {

using PyStr = std::u32string;
using PyView = std::u32string_view;

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
