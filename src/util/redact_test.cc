#include "util/redact.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>

TEST(Redact, UrlUserinfo) {
  EXPECT_EQ(lava::redact("pip: http://bob:s3cret@127.0.0.1:8080/simple failed"),
            "pip: http://***@127.0.0.1:8080/simple failed");
  EXPECT_EQ(lava::redact("no url here"), "no url here");
}

TEST(Redact, RegisteredSecret) {
  lava::add_secret("tok-ABCDEF");
  EXPECT_EQ(lava::redact("Authorization: Basic tok-ABCDEF"), "Authorization: Basic ***");
}

// The hand-written masking against the regular expression it replaced (std::regex is
// too slow to compile on every start), over random text full of near-URLs.
TEST(Redact, UrlUserinfoMatchesRegexOracle) {
  const std::regex userinfo(R"(([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@)");
  const std::string pieces[] = {"://", "@", "/", " ", "h", "x1", "+", ".", "-", "9", ":", "\t"};
  std::mt19937 rng(7);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int k = rng() % 14; k > 0; --k) s += pieces[rng() % std::size(pieces)];
    ASSERT_EQ(lava::redact(s), std::regex_replace(s, userinfo, "$1***@")) << "input: " << s;
  }
}
