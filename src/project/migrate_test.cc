#include "project/migrate.h"

#include <gtest/gtest.h>

using lava::project::add_default_platform;

TEST(Migrate, AddsUnderExistingDockerKeepingBytes) {
  std::string in = "# top comment\nrealm: r   # realm\ndocker:\n    base_img: 'x'  # q\nprefix:\n  docker_repo: y\n";
  auto out = add_default_platform(in, "c.yaml");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "# top comment\nrealm: r   # realm\ndocker:\n    platform: linux/amd64\n    base_img: 'x'  # q\n"
            "prefix:\n  docker_repo: y\n");
  EXPECT_FALSE(add_default_platform(*out, "c.yaml"));  // idempotent
}

TEST(Migrate, CreatesDockerMapping) {
  auto out = add_default_platform("realm: r", "c.yaml");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "realm: r\ndocker:\n  platform: linux/amd64\n");
}

TEST(Migrate, EmptyDockerAndFlowMapping) {
  auto a = add_default_platform("docker:   # later\nrealm: r\n", "c.yaml");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, "docker:   # later\n  platform: linux/amd64\nrealm: r\n");
  auto b = add_default_platform("docker: {base_img: z}\n", "c.yaml");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, "docker: {platform: linux/amd64, base_img: z}\n");
}

TEST(Migrate, LeavesExistingPlatform) {
  EXPECT_FALSE(add_default_platform("docker:\n  platform: host\n", "c.yaml"));
}
