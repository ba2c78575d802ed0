#include "project/platform.h"

#include <gtest/gtest.h>

#include "util/error.h"

using lava::project::parse_platforms;

TEST(Platform, Parses) {
  EXPECT_TRUE(parse_platforms("host", "k").platforms.at(0).is_host());
  EXPECT_EQ(parse_platforms("linux/amd64", "k").platforms.at(0).str(), "linux/amd64");
  EXPECT_EQ(parse_platforms("linux/arm64/v8", "k").platforms.at(0).str(), "linux/arm64");
  auto two = parse_platforms("linux/amd64, linux/arm64", "k");
  ASSERT_EQ(two.platforms.size(), 2u);
  EXPECT_EQ(two.platforms[1].suffix(), "arm64");
}

TEST(Platform, LinuxArmMeansArm64WithNotice) {
  auto spec = parse_platforms("linux/arm", "config/dev.yaml: docker.platform");
  EXPECT_EQ(spec.platforms.at(0).str(), "linux/arm64");
  ASSERT_EQ(spec.notices.size(), 1u);
  EXPECT_NE(spec.notices[0].find("32-bit"), std::string::npos);
}

TEST(Platform, RejectsBadValues) {
  for (const char* bad : {"windows/amd64", "linux/", "", "linux/amd64,,", "linux/mips", "amd64",
                          "host,linux/amd64"}) {
    try {
      parse_platforms(bad, "config/dev.yaml: docker.platform");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const lava::Error& e) {
      EXPECT_NE(std::string(e.what()).find("docker.platform"), std::string::npos);
    }
  }
}
