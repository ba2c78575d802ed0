#include "project/config.h"

#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "project/test_project.h"
#include "util/error.h"

using lava::project::load_config;

namespace {
std::string error_of(const TempProject& p, const std::string& env) {
  try {
    load_config(p.root, env);
  } catch (const lava::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Config, ReadsKeysAndDefaults) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r1\nprefix:\n  docker_repo: lava/dev/proj\n");
  auto c = load_config(p.root, "dev");
  EXPECT_EQ(c.realm, "r1");
  EXPECT_EQ(c.docker_repo, "lava/dev/proj");
  EXPECT_EQ(c.base_img, lava::project::kDefaultBaseImage);
  EXPECT_TRUE(c.platform_defaulted);
  EXPECT_EQ(c.platforms.platforms.at(0).str(), "linux/amd64");
  ASSERT_FALSE(c.notices.empty());
  EXPECT_NE(c.notices[0].find("lava-docker migrate"), std::string::npos);
  EXPECT_EQ(c.registry.str(), "ecr");
}

TEST(Config, PlatformOverrideAndRegistry) {
  TempProject p;
  p.write("config/dev.yaml",
          "realm: r1\nprefix: {docker_repo: x}\ndocker:\n  platform: linux/amd64\n"
          "  registry: 127.0.0.1:5000\n  base_img: localhost:5000/base\n");
  auto c = load_config(p.root, "dev", std::string("linux/amd64,linux/arm64"));
  EXPECT_EQ(c.platforms.platforms.size(), 2u);
  EXPECT_EQ(c.registry.host, "127.0.0.1:5000");
  EXPECT_EQ(c.base_img, "localhost:5000/base");
}

TEST(Config, Errors) {
  TempProject p;
  p.write("config/dev.yaml", "prefix:\n  docker_repo: x\n");
  EXPECT_NE(error_of(p, "dev").find("config/dev.yaml: missing required key 'realm'"),
            std::string::npos);
  p.write("config/dev.yaml", "realm: r\n");
  EXPECT_NE(error_of(p, "dev").find("'prefix.docker_repo'"), std::string::npos);
  EXPECT_NE(error_of(p, "nope").find("unknown environment 'nope'"), std::string::npos);
  p.write("config/dev.yaml",
          "realm: r\nprefix: {docker_repo: x}\ndocker: {platform: windows/amd64}\n");
  EXPECT_NE(error_of(p, "dev").find("windows/amd64"), std::string::npos);
  p.write("config/dev.yaml", "realm: [r\n");
  EXPECT_NE(error_of(p, "dev").find("config/dev.yaml:"), std::string::npos);
  p.write("config/dev.yaml",
          "realm: r\nprefix: {docker_repo: x}\ndocker: {registry: 'http://x/'}\n");
  EXPECT_NE(error_of(p, "dev").find("docker.registry"), std::string::npos);
}

// docker.registry host checks against the regular expression they replaced.
TEST(Config, RegistryHostMatchesRegexOracle) {
  const std::regex host(
      R"(^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$|^\[[0-9a-fA-F:]+\](:[0-9]{1,5})?$)");
  const char alphabet[] = "a9.-:[]f0";
  std::mt19937 rng(3);
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    for (int k = 1 + rng() % 9; k > 0; --k) s += alphabet[rng() % (sizeof alphabet - 1)];
    if (s == "ecr" || s.starts_with("ecr:")) continue;
    bool accepted = true;
    try {
      lava::project::parse_registry(s, "config/x.yaml: docker.registry");
    } catch (const lava::Error&) {
      accepted = false;
    }
    ASSERT_EQ(accepted, std::regex_match(s, host)) << s;
  }
}
