#include "registry/challenge.h"

#include <gtest/gtest.h>

using lava::registry::parse_challenges;

TEST(Challenge, BearerWithQuotedScopeHoldingCommas) {
  auto c = parse_challenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "https://auth.docker.io/token");
  EXPECT_EQ(c[0].params["service"], "registry.docker.io");
  EXPECT_EQ(c[0].params["scope"], "repository:samalba/my-app:pull,push");
}

TEST(Challenge, SeveralChallengesAndOddSpacing) {
  auto c = parse_challenges(
      R"(Basic realm="Registry Realm" , BEARER Realm = "http://127.0.0.1:1/t" ,error="insufficient_scope")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params["realm"], "Registry Realm");
  EXPECT_EQ(c[1].scheme, "bearer");
  EXPECT_EQ(c[1].params["realm"], "http://127.0.0.1:1/t");
  EXPECT_EQ(c[1].params["error"], "insufficient_scope");
}

TEST(Challenge, EscapesAndUnquotedValues) {
  auto c = parse_challenges(R"(Bearer realm="a\"b",service=plain)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params["realm"], "a\"b");
  EXPECT_EQ(c[0].params["service"], "plain");
  EXPECT_TRUE(parse_challenges("").empty());
  EXPECT_EQ(parse_challenges("Basic").size(), 1u);
}
