#include "publish/publish_target.h"

#include <gtest/gtest.h>

namespace lava::publish {
namespace {

TEST(PublishTarget, EcrByDefaultAndByName) {
  for (const char* spec : {"", "ecr"}) {
    auto t = PublishTarget::parse(spec, "lava/dev/hello");
    EXPECT_EQ(t.kind, PublishTarget::Kind::kEcr) << spec;
    EXPECT_EQ(t.ecr_account_id, "");
    EXPECT_EQ(t.str(), "ECR lava/dev/hello:latest");
  }
}

TEST(PublishTarget, EcrOfAnotherAccount) {
  auto t = PublishTarget::parse("ecr:123456789012", "lava/dev/hello", "v1");
  EXPECT_EQ(t.kind, PublishTarget::Kind::kEcr);
  EXPECT_EQ(t.ecr_account_id, "123456789012");
  EXPECT_EQ(t.str(), "ECR 123456789012 lava/dev/hello:v1");
}

TEST(PublishTarget, PlainRegistry) {
  auto t = PublishTarget::parse("127.0.0.1:5000", "lava/dev/hello", "latest", true);
  EXPECT_EQ(t.kind, PublishTarget::Kind::kRegistry);
  EXPECT_EQ(t.registry, "127.0.0.1:5000");
  EXPECT_TRUE(t.insecure);
  EXPECT_EQ(t.str(), "127.0.0.1:5000/lava/dev/hello:latest");
}

}  // namespace
}  // namespace lava::publish
