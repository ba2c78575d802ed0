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
    // Beyond the syntax, a host must not read as a Docker Hub name (issue 16).
    const bool hub_like = s.front() != '[' && s.find(':') == std::string::npos &&
                          s.find('.') == std::string::npos && s != "localhost";
    bool accepted = true;
    try {
      lava::project::parse_registry(s, "config/x.yaml: docker.registry");
    } catch (const lava::Error&) {
      accepted = false;
    }
    ASSERT_EQ(accepted, std::regex_match(s, host) && !hub_like) << s;
  }
}

// The framework's config template writes `registry: ""` ("leave empty to use AWS ECR").
TEST(Config, EmptyOrAbsentRegistryMeansEcr) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\ndocker: {registry: \"\"}\n");
  auto c = load_config(p.root, "dev");
  EXPECT_EQ(c.registry.kind, lava::project::RegistryTarget::Kind::kEcr);
  EXPECT_TRUE(c.registry.account_id.empty());
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\ndocker: {registry: null}\n");
  EXPECT_EQ(load_config(p.root, "dev").registry.str(), "ecr");
}

// Every key the framework's cookiecutter config template writes loads as it is.
TEST(Config, AcceptsTheFrameworkTemplateKeys) {
  TempProject p;
  p.write("config/dev.yaml",
          "realm: \"dev\"\n"
          "prefix:\n  job: \"app/proj\"\n  payload: \"app/proj\"\n  s3trigger: \"app/proj\"\n"
          "  docker_repo: \"lava/dev/proj\"\n  rule: \"lava.dev.proj\"\n"
          "docker:\n  base_img: ghcr.io/jin-gizmo/lava/amzn2023/base\n"
          "  platform: \"linux/amd64,linux/arm64\"\n  registry: \"\"\n"
          "description: \"d\"\nowner: \"o\"\nworker:\n  main: \"core\"\n"
          "dispatcher:\n  main: \"--\"\n  none: \"--\"\nschedule:\n  main: \"--\"\n"
          "myvar: stuff\n");
  auto c = load_config(p.root, "dev");
  EXPECT_EQ(c.docker_repo, "lava/dev/proj");
  EXPECT_EQ(c.platforms.platforms.size(), 2u);
  EXPECT_EQ(c.registry.str(), "ecr");
  EXPECT_EQ(c.values["worker"]["main"], "core");
}

// issue 16: a name Docker would send to Docker Hub is refused, with one line naming it.
TEST(Config, RegistryThatWouldMeanDockerHubIsRefused) {
  TempProject p;
  for (const char* v : {"myreg", "123", "registry-1"}) {
    p.write("config/dev.yaml",
            std::string("realm: r\nprefix: {docker_repo: x}\ndocker: {registry: ") + v + "}\n");
    std::string e = error_of(p, "dev");
    EXPECT_NE(e.find("config/dev.yaml: docker.registry: '" + std::string(v) + "'"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("Docker Hub"), std::string::npos) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos);
  }
  for (const char* v : {"localhost", "localhost:5000", "reg.example.com", "reg:5000", "[::1]:5000",
                        "ecr:123456789012"}) {
    p.write("config/dev.yaml",
            std::string("realm: r\nprefix: {docker_repo: x}\ndocker: {registry: '") + v + "'}\n");
    EXPECT_EQ(error_of(p, "dev"), "") << v;
  }
}

TEST(Config, DockerfileKey) {
  TempProject p;
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\n");
  EXPECT_FALSE(load_config(p.root, "dev").stock_dockerfile_as_is);
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\ndocker: {dockerfile: stock}\n");
  EXPECT_TRUE(load_config(p.root, "dev").stock_dockerfile_as_is);
  p.write("config/dev.yaml", "realm: r\nprefix: {docker_repo: x}\ndocker: {dockerfile: mine}\n");
  EXPECT_NE(error_of(p, "dev").find("config/dev.yaml: docker.dockerfile: 'mine' is not stock"),
            std::string::npos);
}
