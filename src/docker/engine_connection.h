// The HTTP side of the Docker Engine API: where the engine listens (unix socket, tcp, TLS
// with client certificates), one http::Client per request so that several threads may
// talk to the engine at once, and what a failed connection means to a user.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "docker/docker_host.h"
#include "http/client.h"

namespace lava::docker {

struct EngineRequest {
  std::string method = "GET";
  std::string target;  // "/v1.41/images/json?filters=..." (escaped)
  http::Headers headers;
  std::optional<std::string> body;  // a small body sent whole (JSON)
  // A streamed body, sent chunked: fills `buf` with up to `len` bytes, returns 0 at the end.
  std::function<size_t(char* buf, size_t len)> body_source;
  // The response body of a 2xx reply as it arrives; when unset it is collected in the
  // response. Bodies of other replies are always collected (they carry errors).
  std::function<void(std::string_view)> on_data;
  // Called once the response's headers have arrived, with its status: a stream is under way.
  std::function<void(long status)> on_headers;
  // What the request is for, in messages: "build", "pull of alpine:3".
  std::string purpose;
};

class EngineConnection {
 public:
  explicit EngineConnection(DockerEndpoint endpoint);
  const DockerEndpoint& endpoint() const { return endpoint_; }

  // Performs the request once (the engine's calls are not idempotent). An engine that
  // cannot be reached or a lost connection throws one line saying so; an exception thrown
  // by a callback reaches the caller as it is; HTTP errors do not throw.
  http::Response send(const EngineRequest& request) const;

 private:
  DockerEndpoint endpoint_;
  http::ClientOptions options_;
  std::string base_url_;
};

}  // namespace lava::docker
