// Authorization for one registry: anonymous, Basic, or Bearer tokens fetched from the
// realm a WWW-Authenticate challenge names, cached per scope set.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/client.h"
#include "registry/challenge.h"
#include "registry/credentials.h"

namespace lava::registry {

// "repository:<name>:pull,push", "repository:<name>:pull".
std::string repository_scope(const std::string& repository, bool push);

class Authenticator {
 public:
  Authenticator(http::Client& http, std::string registry, std::optional<Credentials> creds)
      : http_(http), registry_(std::move(registry)), creds_(std::move(creds)) {}

  // The Authorization header value for a request needing `scopes`; nullopt when none is
  // known to be needed yet.
  std::optional<std::string> header(const std::vector<std::string>& scopes);
  // Learns from a 401 answer. True when retrying with header(scopes) may now succeed.
  bool on_unauthorized(const http::Response& r, const std::vector<std::string>& scopes);
  // Learns the scheme from a /v2/ ping answer (200: none needed; 401: the challenge).
  void on_ping(const http::Response& r);

  uint64_t tokens_fetched() const { return tokens_fetched_; }

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  void learn(const http::Response& r);
  std::string fetch_token(const std::vector<std::string>& scopes);
  std::string key(const std::vector<std::string>& scopes) const;

  http::Client& http_;
  std::string registry_;
  std::optional<Credentials> creds_;
  std::string scheme_;  // "", "basic", "bearer"
  Challenge bearer_;
  std::map<std::string, Token> tokens_;
  uint64_t tokens_fetched_ = 0;
};

}  // namespace lava::registry
