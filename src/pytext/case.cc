#include "pytext/case.h"

#include <locale.h>

#include <cwctype>

#include "pytext/chars.h"
#include "pytext/utf8.h"

namespace lava::pytext {

namespace {

// The C.UTF-8 locale gives towupper/towlower Unicode case mappings.
locale_t utf8_locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (l == static_cast<locale_t>(0)) l = newlocale(LC_CTYPE_MASK, "C", static_cast<locale_t>(0));
    return l;
  }();
  return loc;
}

}  // namespace

char32_t to_upper(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  return static_cast<char32_t>(towupper_l(static_cast<wint_t>(c), utf8_locale()));
}

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  return static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), utf8_locale()));
}

bool is_cased(char32_t c) {
  return is_upper(c) || is_lower(c) || to_upper(c) != to_lower(c);
}

namespace {

template <typename F>
std::string map_chars(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char b = s[i];
    if (b < 0x80) {
      out.push_back(static_cast<char>(f(static_cast<char32_t>(b))));
      ++i;
    } else {
      append(out, f(next(s, i)));
    }
  }
  return out;
}
}  // namespace

std::string upper(std::string_view s) {
  std::string out = map_chars(s, to_upper);
  // Python's full case mapping turns U+00DF (sharp s) into "SS".
  for (size_t p = out.find("\xC3\x9F"); p != std::string::npos; p = out.find("\xC3\x9F", p))
    out.replace(p, 2, "SS");
  return out;
}
std::string lower(std::string_view s) {
  return map_chars(s, to_lower);
}
std::string swapcase(std::string_view s) {
  return map_chars(s, [](char32_t c) {
    if (is_upper(c)) return to_lower(c);
    if (is_lower(c)) return to_upper(c);
    return c;
  });
}

std::string title(std::string_view s) {
  // Python: a cased character following an uncased one starts a word.
  std::string out;
  out.reserve(s.size());
  bool prev_cased = false;
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = next(s, i);
    bool cased = is_cased(c);
    if (cased) {
      append(out, prev_cased ? to_lower(c) : to_upper(c));
    } else {
      append(out, c);
    }
    prev_cased = cased;
  }
  return out;
}

std::string capitalize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  bool first = true;
  while (i < s.size()) {
    char32_t c = next(s, i);
    append(out, first ? to_upper(c) : to_lower(c));
    first = false;
  }
  return out;
}

}  // namespace lava::pytext
