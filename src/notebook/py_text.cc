#include "notebook/py_text.h"

#include <algorithm>

#include "pytext/chars.h"

namespace lava::notebook {

namespace {

void append_hex(PyStr& out, char32_t c, int digits) {
  static const char* kHex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
}

}  // namespace

PyStr py_repr(PyView s) {
  char32_t quote = U'\'';
  if (s.find(U'\'') != PyView::npos && s.find(U'"') == PyView::npos) quote = U'"';
  PyStr out;
  out.reserve(s.size() + 2);
  out += quote;
  for (char32_t c : s) {
    if (c == quote || c == U'\\') {
      out += U'\\';
      out += c;
    } else if (c == U'\t') {
      out += U"\\t";
    } else if (c == U'\n') {
      out += U"\\n";
    } else if (c == U'\r') {
      out += U"\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += U"\\x";
      append_hex(out, c, 2);
    } else if (c < 0x7F || pytext::is_printable(c)) {
      out += c;
    } else if (c <= 0xFF) {
      out += U"\\x";
      append_hex(out, c, 2);
    } else if (c <= 0xFFFF) {
      out += U"\\u";
      append_hex(out, c, 4);
    } else {
      out += U"\\U";
      append_hex(out, c, 8);
    }
  }
  out += quote;
  return out;
}

PyView py_rstrip(PyView s) {
  size_t end = s.size();
  while (end > 0 && pytext::is_space(s[end - 1])) --end;
  return s.substr(0, end);
}

PyView py_strip(PyView s) {
  s = py_rstrip(s);
  size_t begin = 0;
  while (begin < s.size() && pytext::is_space(s[begin])) ++begin;
  return s.substr(begin);
}

bool py_isspace(PyView s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), pytext::is_space);
}

std::vector<PyView> py_split(PyView s) {
  std::vector<PyView> parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && pytext::is_space(s[i])) ++i;
    if (i == s.size()) break;
    size_t start = i;
    while (i < s.size() && !pytext::is_space(s[i])) ++i;
    parts.push_back(s.substr(start, i - start));
  }
  return parts;
}

Partition py_partition_space(PyView s) {
  size_t at = s.find(U' ');
  if (at == PyView::npos) return {s, PyView()};
  return {s.substr(0, at), s.substr(at + 1)};
}

std::vector<PyStr> py_splitlines_keepends(PyView s) {
  std::vector<PyStr> lines;
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = s[i];
    bool boundary = c == U'\n' || c == U'\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D ||
                    c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
    ++i;
    if (!boundary) continue;
    if (c == U'\r' && i < s.size() && s[i] == U'\n') ++i;
    lines.emplace_back(s.substr(start, i - start));
    start = i;
  }
  if (start < s.size()) lines.emplace_back(s.substr(start));
  return lines;
}

}  // namespace lava::notebook
