#include "notebook/py_text.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "util/error.h"

namespace lava::notebook {

namespace {

enum : uint8_t { kWord = 1, kDecimal = 2, kSpace = 4, kPrintable = 8, kIdStart = 16 };

struct ClassRun {
  char32_t first;
  char32_t last;
  uint8_t classes;
};

// Runs of code points sharing their (non-empty) classes, sorted by code point.
constexpr ClassRun kRuns[] = {
#include "notebook/unicode_table.inc"
};

uint8_t classes_of(char32_t c) {
  auto it = std::upper_bound(std::begin(kRuns), std::end(kRuns), c,
                             [](char32_t v, const ClassRun& r) { return v < r.first; });
  if (it == std::begin(kRuns)) return 0;
  --it;
  return c <= it->last ? it->classes : 0;
}

void append_hex(PyStr& out, char32_t c, int digits) {
  static const char* kHex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
}

}  // namespace

bool is_word_char(char32_t c) {
  if (c < 0x80)
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || is_ascii_digit(c) || c == U'_';
  return classes_of(c) & kWord;
}
bool is_decimal_char(char32_t c) {
  if (c < 0x80) return is_ascii_digit(c);
  return classes_of(c) & kDecimal;
}
bool is_space_char(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return classes_of(c) & kSpace;
}
bool is_printable_char(char32_t c) {
  if (c < 0x80) return c >= 0x20 && c < 0x7F;
  return classes_of(c) & kPrintable;
}
bool is_identifier_start(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || c == U'_';
  return classes_of(c) & kIdStart;
}

PyStr decode_utf8(std::string_view in) {
  PyStr out;
  out.reserve(in.size());
  size_t i = 0;
  auto bad = [&]() -> Error { return Error("invalid UTF-8 at byte " + std::to_string(i)); };
  while (i < in.size()) {
    auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      out += static_cast<char32_t>(b);
      ++i;
      continue;
    }
    int extra;
    char32_t cp;
    char32_t min;
    if ((b & 0xE0) == 0xC0) {
      extra = 1, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3, cp = b & 0x07, min = 0x10000;
    } else {
      throw bad();
    }
    if (i + extra >= in.size()) throw bad();
    for (int k = 1; k <= extra; ++k) {
      auto c = static_cast<unsigned char>(in[i + k]);
      if ((c & 0xC0) != 0x80) throw bad();
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw bad();
    out += cp;
    i += extra + 1;
  }
  return out;
}

void append_utf8(std::string& out, PyView text) {
  for (char32_t c : text) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
}

std::string encode_utf8(PyView text) {
  std::string out;
  out.reserve(text.size());
  append_utf8(out, text);
  return out;
}

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
    } else if (c < 0x7F || is_printable_char(c)) {
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
  while (end > 0 && is_space_char(s[end - 1])) --end;
  return s.substr(0, end);
}

PyView py_strip(PyView s) {
  s = py_rstrip(s);
  size_t begin = 0;
  while (begin < s.size() && is_space_char(s[begin])) ++begin;
  return s.substr(begin);
}

bool py_isspace(PyView s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), is_space_char);
}

std::vector<PyView> py_split(PyView s) {
  std::vector<PyView> parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space_char(s[i])) ++i;
    if (i == s.size()) break;
    size_t start = i;
    while (i < s.size() && !is_space_char(s[i])) ++i;
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
