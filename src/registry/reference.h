// Image references as docker reads them: [registry/]repository[:tag][@digest].
#pragma once

#include <string>

namespace lava::registry {

inline constexpr const char* kDockerHub = "docker.io";

struct Reference {
  std::string registry;    // "docker.io", "127.0.0.1:5000", "123.dkr.ecr.eu-west-1.amazonaws.com"
  std::string repository;  // "library/alpine", "lava/demo"
  std::string tag;         // "latest" when neither tag nor digest was given
  std::string digest;      // "sha256:..." or empty

  // Docker's defaults: no registry means docker.io, a one-part name on docker.io gets
  // "library/", no tag and no digest means "latest". The first component is a registry
  // when it has a '.' or a ':' or is "localhost". Throws lava::Error naming the text.
  static Reference parse(const std::string& text);

  // The tag or digest to address in the API (digest wins).
  std::string identifier() const { return digest.empty() ? tag : digest; }
  // "registry/repository:tag[@digest]".
  std::string str() const;
  std::string name() const { return registry + "/" + repository; }
  Reference with_tag(const std::string& t) const;
  Reference with_digest(const std::string& d) const;
};

// The host the distribution API lives on: docker.io → registry-1.docker.io.
std::string api_host(const std::string& registry);
// 127.0.0.0/8, localhost, ::1 (with or without a port): where docker allows plain HTTP.
bool is_loopback_registry(const std::string& registry);

}  // namespace lava::registry
