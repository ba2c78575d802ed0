// HTTP to the Docker engine over libcurl: a unix socket or tcp (with TLS), one request per
// call, bodies streamed both ways. Small and self-contained on purpose (see src/http for the
// general client); safe to use from several threads at once, one request per thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/docker_host.h"

namespace lava::docker {

struct HttpRequest {
  std::string method = "GET";
  std::string target;                // "/v1.41/images/json?filters=..." (escaped)
  std::vector<std::string> headers;  // "Name: value"
  std::optional<std::string> body;   // a small body sent whole (JSON)
  // A streamed body, sent chunked: fills `buf` with up to `len` bytes, returns 0 at the end.
  std::function<size_t(char* buf, size_t len)> body_source;
  // The response body of a 2xx reply as it arrives; when unset it is collected in
  // HttpResponse::body. Bodies of other replies are always collected (they carry errors).
  std::function<void(std::string_view)> on_data;
  // Called once the response's status line and headers have arrived, with the status
  // (before any body): a streamed reply is under way.
  std::function<void(long status)> on_headers;
  // What the request is for, in messages: "build", "pull of alpine:3".
  std::string purpose;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
};

class DockerTransport {
 public:
  explicit DockerTransport(DockerEndpoint endpoint);
  const DockerEndpoint& endpoint() const { return endpoint_; }

  // Performs the request. An engine that cannot be reached, a lost connection, or an
  // exception thrown by a callback (rethrown as is) ends it; HTTP errors do not throw.
  HttpResponse send(const HttpRequest& request) const;

 private:
  DockerEndpoint endpoint_;
};

// "k=v&k2=v2" with each value percent-escaped; empty values are kept ("q=").
std::string url_query(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace lava::docker
