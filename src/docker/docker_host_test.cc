#include "docker/docker_host.h"

#include <gtest/gtest.h>

#include <map>

#include "util/error.h"

namespace lava::docker {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(DockerHost, UnsetMeansDefaultSocket) {
  auto ep = docker_endpoint_from_env(env_of({}));
  EXPECT_EQ(ep.kind, DockerEndpoint::Kind::kUnix);
  EXPECT_EQ(ep.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(ep.str(), "unix:///var/run/docker.sock");
  EXPECT_EQ(docker_endpoint_from_env(env_of({{"DOCKER_HOST", ""}})).socket_path,
            "/var/run/docker.sock");
}

TEST(DockerHost, UnixSocketPath) {
  auto ep = docker_endpoint_from_env(env_of({{"DOCKER_HOST", "unix:///tmp/x/docker.sock"}}));
  EXPECT_EQ(ep.kind, DockerEndpoint::Kind::kUnix);
  EXPECT_EQ(ep.socket_path, "/tmp/x/docker.sock");
}

TEST(DockerHost, RelativeUnixPathIsAnError) {
  EXPECT_THROW(docker_endpoint_from_env(env_of({{"DOCKER_HOST", "unix://docker.sock"}})), Error);
}

TEST(DockerHost, TcpPlain) {
  auto ep = docker_endpoint_from_env(env_of({{"DOCKER_HOST", "tcp://127.0.0.1:2375"}}));
  EXPECT_EQ(ep.kind, DockerEndpoint::Kind::kTcp);
  EXPECT_EQ(ep.host_port, "127.0.0.1:2375");
  EXPECT_FALSE(ep.tls);
  EXPECT_EQ(ep.str(), "tcp://127.0.0.1:2375");
}

TEST(DockerHost, TcpDefaultPorts) {
  EXPECT_EQ(docker_endpoint_from_env(env_of({{"DOCKER_HOST", "tcp://example"}})).host_port,
            "example:2375");
  auto tls = docker_endpoint_from_env(
      env_of({{"DOCKER_HOST", "tcp://example"}, {"DOCKER_TLS_VERIFY", "1"}, {"HOME", "/home/u"}}));
  EXPECT_EQ(tls.host_port, "example:2376");
}

TEST(DockerHost, TlsFilesFromCertPath) {
  auto ep = docker_endpoint_from_env(env_of({{"DOCKER_HOST", "tcp://[::1]:2376"},
                                             {"DOCKER_TLS_VERIFY", "1"},
                                             {"DOCKER_CERT_PATH", "/certs"}}));
  EXPECT_TRUE(ep.tls);
  EXPECT_EQ(ep.host_port, "[::1]:2376");
  EXPECT_EQ(ep.ca_file, "/certs/ca.pem");
  EXPECT_EQ(ep.cert_file, "/certs/cert.pem");
  EXPECT_EQ(ep.key_file, "/certs/key.pem");
}

TEST(DockerHost, TlsFilesDefaultToHomeDocker) {
  auto ep = docker_endpoint_from_env(
      env_of({{"DOCKER_HOST", "tcp://h:1"}, {"DOCKER_TLS_VERIFY", "1"}, {"HOME", "/home/u"}}));
  EXPECT_EQ(ep.ca_file, "/home/u/.docker/ca.pem");
}

TEST(DockerHost, EmptyTlsVerifyMeansPlain) {
  auto ep =
      docker_endpoint_from_env(env_of({{"DOCKER_HOST", "tcp://h:1"}, {"DOCKER_TLS_VERIFY", ""}}));
  EXPECT_FALSE(ep.tls);
}

TEST(DockerHost, BadValuesNameTheValue) {
  for (const char* bad : {"ssh://me@host", "npipe:////./pipe/docker_engine", "tcp://h:99999",
                          "tcp://h:port", "tcp://", "docker.sock", "tcp://u:p@h:1"}) {
    try {
      docker_endpoint_from_env(env_of({{"DOCKER_HOST", bad}}));
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("DOCKER_HOST="), std::string::npos) << e.what();
    }
  }
}

TEST(DockerHost, ApiVersionOverride) {
  EXPECT_EQ(docker_endpoint_from_env(env_of({{"DOCKER_API_VERSION", "1.40"}})).api_version, "1.40");
  EXPECT_THROW(docker_endpoint_from_env(env_of({{"DOCKER_API_VERSION", "latest"}})), Error);
}

}  // namespace
}  // namespace lava::docker
