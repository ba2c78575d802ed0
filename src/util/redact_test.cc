#include "util/redact.h"

#include <gtest/gtest.h>

TEST(Redact, UrlUserinfo) {
  EXPECT_EQ(lava::redact("pip: http://bob:s3cret@127.0.0.1:8080/simple failed"),
            "pip: http://***@127.0.0.1:8080/simple failed");
  EXPECT_EQ(lava::redact("no url here"), "no url here");
}

TEST(Redact, RegisteredSecret) {
  lava::add_secret("tok-ABCDEF");
  EXPECT_EQ(lava::redact("Authorization: Basic tok-ABCDEF"), "Authorization: Basic ***");
}
