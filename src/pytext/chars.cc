#include "pytext/chars.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace lava::pytext {

namespace {

// The bits gen_unicode_table.py writes.
enum : uint8_t {
  kWord = 1,
  kDecimal = 2,
  kSpace = 4,
  kPrintable = 8,
  kIdStart = 16,
  kAlpha = 32,
  kUpper = 64,
  kLower = 128,
};

struct ClassRun {
  char32_t first;
  char32_t last;
  uint8_t classes;
};

// Runs of code points sharing their (non-empty) classes, sorted by code point.
constexpr ClassRun kRuns[] = {
#include "pytext/unicode_table.inc"
};

uint8_t classes_of(char32_t c) {
  auto it = std::upper_bound(std::begin(kRuns), std::end(kRuns), c,
                             [](char32_t v, const ClassRun& r) { return v < r.first; });
  if (it == std::begin(kRuns)) return 0;
  --it;
  return c <= it->last ? it->classes : 0;
}

bool ascii_lower(char32_t c) {
  return c >= U'a' && c <= U'z';
}
bool ascii_upper(char32_t c) {
  return c >= U'A' && c <= U'Z';
}

}  // namespace

bool is_word(char32_t c) {
  if (c < 0x80) return ascii_lower(c) || ascii_upper(c) || is_ascii_digit(c) || c == U'_';
  return classes_of(c) & kWord;
}
bool is_alnum(char32_t c) {
  return c != U'_' && is_word(c);
}
bool is_alpha(char32_t c) {
  if (c < 0x80) return ascii_lower(c) || ascii_upper(c);
  return classes_of(c) & kAlpha;
}
bool is_decimal(char32_t c) {
  if (c < 0x80) return is_ascii_digit(c);
  return classes_of(c) & kDecimal;
}
bool is_space(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return classes_of(c) & kSpace;
}
bool is_printable(char32_t c) {
  if (c < 0x80) return c >= 0x20 && c < 0x7F;
  return classes_of(c) & kPrintable;
}
bool is_identifier_start(char32_t c) {
  if (c < 0x80) return ascii_lower(c) || ascii_upper(c) || c == U'_';
  return classes_of(c) & kIdStart;
}
bool is_upper(char32_t c) {
  if (c < 0x80) return ascii_upper(c);
  return classes_of(c) & kUpper;
}
bool is_lower(char32_t c) {
  if (c < 0x80) return ascii_lower(c);
  return classes_of(c) & kLower;
}

}  // namespace lava::pytext
