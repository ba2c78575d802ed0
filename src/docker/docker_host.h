// Where the Docker engine listens, as the docker CLI reads it from the environment.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace lava::docker {

inline constexpr const char* kDefaultDockerSocket = "/var/run/docker.sock";

struct DockerEndpoint {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string socket_path = kDefaultDockerSocket;      // Kind::kUnix
  std::string host_port;                               // Kind::kTcp: "host:port"
  bool tls = false;                                    // https to host_port
  std::filesystem::path ca_file, cert_file, key_file;  // TLS files (ca.pem, cert.pem, key.pem)
  std::string api_version;                             // DOCKER_API_VERSION if set, else negotiated

  // "unix:///var/run/docker.sock" or "tcp://host:2376": what messages show.
  std::string str() const;
};

// Reads a variable of the environment; nullopt when unset. Tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

// DOCKER_HOST (unix://PATH, tcp://HOST:PORT, or unset/empty for the default socket),
// DOCKER_TLS_VERIFY (non-empty: https, server verified against ca.pem, client cert.pem and
// key.pem), DOCKER_CERT_PATH (default ~/.docker), DOCKER_API_VERSION. Unsupported schemes
// (ssh://, npipe://, fd://) and malformed values are a lava::Error naming the value.
DockerEndpoint docker_endpoint_from_env(const EnvLookup& env = process_env());

}  // namespace lava::docker
