#include "docker/docker_host.h"

#include <cstdlib>

#include "util/error.h"

namespace lava::docker {

std::string DockerEndpoint::str() const {
  if (kind == Kind::kUnix) return "unix://" + socket_path;
  return "tcp://" + host_port;
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

namespace {

std::string env_or_empty(const EnvLookup& env, const std::string& name) {
  auto v = env(name);
  return v ? *v : std::string();
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "host:port", "host" (port 2375, or 2376 with TLS as the docker CLI does), "[::1]:2375".
std::string parse_host_port(const std::string& rest, bool tls, const std::string& value) {
  std::string hp = rest;
  if (!hp.empty() && hp.back() == '/') hp.pop_back();
  if (hp.empty() || hp.find('/') != std::string::npos || hp.find('@') != std::string::npos) {
    throw Error("DOCKER_HOST=" + value + ": expected tcp://HOST:PORT");
  }
  size_t colon = hp.rfind(':');
  size_t bracket = hp.rfind(']');
  bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  if (!has_port) return hp + (tls ? ":2376" : ":2375");
  std::string port = hp.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    throw Error("DOCKER_HOST=" + value + ": bad port '" + port + "'");
  }
  if (colon == 0) return "127.0.0.1" + hp;  // "tcp://:2375" means localhost to the docker CLI
  return hp;
}

}  // namespace

DockerEndpoint docker_endpoint_from_env(const EnvLookup& env) {
  DockerEndpoint ep;
  ep.api_version = env_or_empty(env, "DOCKER_API_VERSION");
  if (!ep.api_version.empty() &&
      ep.api_version.find_first_not_of("0123456789.") != std::string::npos) {
    throw Error("DOCKER_API_VERSION=" + ep.api_version + ": expected a version such as 1.41");
  }
  std::string value = env_or_empty(env, "DOCKER_HOST");
  if (value.empty()) return ep;

  if (starts_with(value, "unix://")) {
    ep.socket_path = value.substr(7);
    if (ep.socket_path.empty() || ep.socket_path[0] != '/') {
      throw Error("DOCKER_HOST=" + value + ": expected unix:///absolute/path/to/docker.sock");
    }
    return ep;
  }
  if (starts_with(value, "tcp://") || starts_with(value, "http://") ||
      starts_with(value, "https://")) {
    ep.kind = DockerEndpoint::Kind::kTcp;
    ep.tls = !env_or_empty(env, "DOCKER_TLS_VERIFY").empty() || starts_with(value, "https://");
    ep.host_port = parse_host_port(value.substr(value.find("://") + 3), ep.tls, value);
    if (ep.tls) {
      std::filesystem::path dir = env_or_empty(env, "DOCKER_CERT_PATH");
      if (dir.empty()) {
        std::string home = env_or_empty(env, "HOME");
        if (home.empty()) {
          throw Error("DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor HOME is");
        }
        dir = std::filesystem::path(home) / ".docker";
      }
      ep.ca_file = dir / "ca.pem";
      ep.cert_file = dir / "cert.pem";
      ep.key_file = dir / "key.pem";
    }
    return ep;
  }
  size_t scheme_end = value.find("://");
  if (scheme_end != std::string::npos) {
    throw Error("DOCKER_HOST=" + value + ": the " + value.substr(0, scheme_end) +
                ":// scheme is not supported; use unix:///path/to/docker.sock or tcp://HOST:PORT");
  }
  throw Error("DOCKER_HOST=" + value + ": expected unix:///path/to/docker.sock or tcp://HOST:PORT");
}

}  // namespace lava::docker
