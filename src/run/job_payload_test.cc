#include "run/job_payload.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace lava::run {
namespace {

std::vector<project::Payload> payloads() {
  return {{"hello.docker", "hello", "lava-payloads/hello.docker", "lava/dev/demo/hello"},
          {"other.docker", "other", "lava-payloads/other.docker", "lava/dev/demo/other"}};
}

JobPayload map(const std::string& ref, std::vector<std::string>* notices_out = nullptr) {
  std::vector<std::string> notices;
  auto p = map_job_payload(ref, "lava/dev/demo", payloads(), "j.yaml: payload", notices);
  if (notices_out) *notices_out = notices;
  return p;
}

TEST(JobPayloadTest, AnyRegistryPartMapsToTheProjectPayload) {
  std::vector<std::string> notices;
  auto ecr = map("123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/lava/dev/demo/hello", &notices);
  EXPECT_EQ(ecr.name, "hello");
  EXPECT_EQ(ecr.tag, "latest");
  EXPECT_EQ(ecr.registry, "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com");
  EXPECT_TRUE(notices.empty());
  auto bare = map("  lava/dev/demo/other  ");
  EXPECT_EQ(bare.name, "other");
  EXPECT_EQ(bare.registry, "");
  EXPECT_EQ(bare.reference, "lava/dev/demo/other");
  auto tagged = map("reg.example/lava/dev/demo/hello:v2", &notices);
  EXPECT_EQ(tagged.tag, "v2");
  EXPECT_EQ(tagged.repository, "reg.example/lava/dev/demo/hello");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("tag 'v2'"), std::string::npos);
}

TEST(JobPayloadTest, RegistryWithAPortIsWhatTheWorkerRefuses) {
  std::vector<std::string> notices;
  auto p = map("127.0.0.1:5000/lava/dev/demo/hello:latest", &notices);
  EXPECT_EQ(p.name, "hello");
  EXPECT_EQ(p.registry, "127.0.0.1:5000");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("Bad payload"), std::string::npos) << notices[0];
  map("127.0.0.1:5000/lava/dev/demo/hello", &notices);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("repository '127.0.0.1' with tag '5000/lava/dev/demo/hello'"),
            std::string::npos)
      << notices[0];
}

TEST(JobPayloadTest, NotOfThisProjectIsOneClearLine) {
  for (const char* ref : {"lava/prod/demo/hello", "lava/dev/demo/missing", "hello", "",
                          "x/lava/dev/demo/hello/extra"}) {
    try {
      map(ref);
      FAIL() << ref;
    } catch (const Error& e) {
      std::string what = e.what();
      EXPECT_EQ(what.rfind("j.yaml: payload", 0), 0u) << what;
    }
  }
  try {
    map("lava/dev/demo/missing");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no payload 'missing'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("hello, other"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lava::run
