#include "pytext/chars.h"

#include <gtest/gtest.h>

#include <string>

#include "pytext/reference_python.h"

namespace lava::pytext {
namespace {

// Every code point: Python's str/regex classes against ours.
TEST(Chars, EveryCodePointMatchesPython) {
  std::string out = testing::run_reference_python(R"(
import sys
out = []
for cp in range(0x110000):
    c = chr(cp)
    out.append("%x" % ((c.isalnum() or c == "_") | c.isdecimal() << 1 | c.isspace() << 2
                       | c.isprintable() << 3 | c.isidentifier() << 4 | c.isalpha() << 5
                       | c.isupper() << 6 | c.islower() << 7 | c.isalnum() << 8))
sys.stdout.write(",".join(out))
)",
                                                  "");
  size_t pos = 0;
  for (char32_t cp = 0; cp < 0x110000; ++cp) {
    size_t comma = out.find(',', pos);
    ASSERT_TRUE(comma != std::string::npos || cp == 0x10FFFF);
    int want = std::stoi(out.substr(pos, comma - pos), nullptr, 16);
    pos = comma + 1;
    int got = is_word(cp) | is_decimal(cp) << 1 | is_space(cp) << 2 | is_printable(cp) << 3 |
              is_identifier_start(cp) << 4 | is_alpha(cp) << 5 | is_upper(cp) << 6 |
              is_lower(cp) << 7 | is_alnum(cp) << 8;
    ASSERT_EQ(got, want) << "code point " << std::hex << static_cast<uint32_t>(cp);
  }
}

}  // namespace
}  // namespace lava::pytext
