#include "http/base64.h"

#include <gtest/gtest.h>

#include "util/error.h"

TEST(Base64, RoundTripsAndRejectsGarbage) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "AWS:secret\n\x01\xff"})
    EXPECT_EQ(lava::http::base64_decode(lava::http::base64_encode(s)), s);
  EXPECT_EQ(lava::http::base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(lava::http::base64_decode("QVdTOnBhc3M="), "AWS:pass");
  EXPECT_THROW(lava::http::base64_decode("abc"), lava::Error);
}

TEST(Base64, UrlSafeAlphabetKeepsPadding) {
  EXPECT_EQ(lava::http::base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(lava::http::base64url_encode("\xfb\xff"), "-_8=");
  EXPECT_EQ(lava::http::base64url_encode("{}"), "e30=");
  EXPECT_EQ(lava::http::base64url_encode(""), "");
}
