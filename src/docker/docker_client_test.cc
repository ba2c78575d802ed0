// Pure parts of the client; talking to a real engine is tested under tests/docker.
#include "docker/docker_client.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.h"

namespace lava::docker {
namespace {

TEST(Reference, Split) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split_reference("alpine"), (P{"alpine", "latest"}));
  EXPECT_EQ(split_reference("alpine:3.19"), (P{"alpine", "3.19"}));
  EXPECT_EQ(split_reference("127.0.0.1:5000/lava/base"), (P{"127.0.0.1:5000/lava/base", "latest"}));
  EXPECT_EQ(split_reference("127.0.0.1:5000/lava/base:v1"), (P{"127.0.0.1:5000/lava/base", "v1"}));
  const std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(split_reference("repo/x@" + digest), (P{"repo/x", digest}));
  EXPECT_EQ(split_reference("repo/x:v2@" + digest), (P{"repo/x:v2", digest}));
  // One grammar for every reference: what the registry client refuses, the engine calls do.
  EXPECT_THROW(split_reference("repo/x@sha256:abc"), lava::Error);
  EXPECT_THROW(split_reference("Repo/X:latest"), lava::Error);
}

TEST(Reference, RegistryHost) {
  EXPECT_EQ(registry_host_of("alpine"), "docker.io");
  EXPECT_EQ(registry_host_of("library/alpine:3"), "docker.io");
  EXPECT_EQ(registry_host_of("127.0.0.1:5000/x/y:1"), "127.0.0.1:5000");
  EXPECT_EQ(registry_host_of("ghcr.io/jin-gizmo/lava/amzn2023/base"), "ghcr.io");
  EXPECT_EQ(registry_host_of("localhost/x"), "localhost");
}

TEST(ApiVersion, NumericComparison) {
  EXPECT_LT(compare_api_versions("1.9", "1.41"), 0);
  EXPECT_GT(compare_api_versions("1.41", "1.32"), 0);
  EXPECT_EQ(compare_api_versions("1.41", "1.41"), 0);
  EXPECT_LT(compare_api_versions("1.41", "2.0"), 0);
}

TEST(Platform, StrAndOffers) {
  EXPECT_EQ((ImagePlatform{"linux", "arm64", "v8"}.str()), "linux/arm64");
  EXPECT_EQ((ImagePlatform{"linux", "arm", "v7"}.str()), "linux/arm/v7");
  DistributionInfo d;
  d.platforms = {{"linux", "amd64", ""}, {"linux", "arm64", "v8"}};
  EXPECT_TRUE(d.offers("linux/amd64"));
  EXPECT_TRUE(d.offers("linux/arm64"));
  EXPECT_TRUE(d.offers("linux/arm64/v8"));
  EXPECT_FALSE(d.offers("linux/arm/v7"));
  EXPECT_FALSE(d.offers("linux/s390x"));
}

TEST(Unreachable, OneMessageSayingHowToStartOne) {
  DockerEndpoint ep;
  ep.socket_path = "/nonexistent/lava-docker-test.sock";
  DockerClient client(ep);
  try {
    client.api_version();
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("cannot reach the Docker engine at unix:///nonexistent/lava-docker-test.sock"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("DOCKER_HOST"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST(Unreachable, ClosedTcpPort) {
  DockerEndpoint ep;
  ep.kind = DockerEndpoint::Kind::kTcp;
  ep.host_port = "127.0.0.1:1";
  DockerClient client(ep);
  try {
    client.list_images();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the Docker engine at tcp://127.0.0.1:1"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace lava::docker
