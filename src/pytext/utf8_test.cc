#include "pytext/utf8.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace lava::pytext {
namespace {

const std::string kText = "a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x8e\x89";
const std::u32string kCodePoints = {U'a', 0xE9, 0x65E5, 0x1F389};
// Truncated, stray continuation, overlong, surrogate, above U+10FFFF, cut short.
const std::vector<std::string> kMalformed = {
    "\x80", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe6\x97"};

TEST(Utf8, RoundTripsAndRejectsMalformedInput) {
  std::u32string decoded = decode_checked(kText);
  EXPECT_EQ(decoded, kCodePoints);
  EXPECT_EQ(encode(decoded), kText);
  EXPECT_EQ(decode(kText), kCodePoints);
  EXPECT_TRUE(valid_utf8(kText));
  EXPECT_EQ(length(kText), 4u);
  for (const auto& bad : kMalformed) {
    EXPECT_THROW(decode_checked(bad), Error) << bad;
    EXPECT_FALSE(valid_utf8("ok" + bad)) << bad;
  }
}

TEST(Utf8, CheckedDecodeNamesTheByteOffset) {
  try {
    decode_checked("ab\xc3(");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "invalid UTF-8 at byte 2");
  }
}

TEST(Utf8, LenientDecodeTakesMalformedBytesAsThemselves) {
  // Each bad byte is one code point, so loops over any bytes end.
  EXPECT_EQ(decode("x\xc0\xafy"), (std::u32string{U'x', 0xC0, 0xAF, U'y'}));
  EXPECT_EQ(decode("\xed\xa0\x80"), (std::u32string{0xED, 0xA0, 0x80}));
  EXPECT_EQ(decode("\xe6\x97"), (std::u32string{0xE6, 0x97}));
  size_t i = 1;
  EXPECT_EQ(next(kText, i), 0xE9u);
  EXPECT_EQ(i, 3u);
}

TEST(Utf8, AppendsEveryLength) {
  std::string out;
  for (char32_t c : {U'\x7f', U'\x80', U'\x7ff', U'\x800', U'\xffff', U'\x10000', U'\x10ffff'})
    append(out, c);
  EXPECT_EQ(decode_checked(out),
            (std::u32string{0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}));
  EXPECT_TRUE(is_ascii("plain\x7f"));
  EXPECT_FALSE(is_ascii(kText));
}

}  // namespace
}  // namespace lava::pytext
