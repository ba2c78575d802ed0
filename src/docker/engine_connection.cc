#include "docker/engine_connection.h"

#include <cerrno>
#include <cstring>

#include "http/libcurl.h"

#include "http/body.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::docker {

namespace {

std::string how_to_start(const DockerEndpoint& ep) {
  return "start the Docker engine (e.g. `sudo systemctl start docker`, or run `dockerd`) "
         "or set DOCKER_HOST to one that runs (now " +
         ep.str() + ")";
}

// libcurl's codes for "no HTTP exchange happened at all".
bool never_connected(const http::TransportError& e) {
  if (e.status() != 0) return false;
  switch (e.curl_code()) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

EngineConnection::EngineConnection(DockerEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  options_.retry = http::RetryPolicy::none();
  options_.connect_timeout = std::chrono::seconds(30);
  options_.stall_timeout = std::chrono::seconds(0);  // a build step may be silent for long
  options_.request_timeout = std::chrono::milliseconds(0);
  options_.abort_on_cancel = false;  // a cancelled build still removes its images
  if (endpoint_.kind == DockerEndpoint::Kind::kUnix) {
    options_.unix_socket = endpoint_.socket_path;
    base_url_ = "http://localhost";
  } else {
    base_url_ = (endpoint_.tls ? "https://" : "http://") + endpoint_.host_port;
    if (endpoint_.tls) {
      options_.ca_file = endpoint_.ca_file;
      options_.cert_file = endpoint_.cert_file;
      options_.key_file = endpoint_.key_file;
    }
  }
}

http::Response EngineConnection::send(const EngineRequest& request) const {
  http::Request req = http::Request::make(request.method, base_url_ + request.target);
  req.headers = request.headers;
  req.follow_redirects = false;
  if (request.body_source) {
    req.body = http::body_from_callback(request.body_source);  // sent chunked
  } else if (request.body) {
    req.body = http::body_from_string(*request.body);
  }
  std::optional<http::CallbackSink> sink;
  if (request.on_data) {
    sink.emplace([&](const char* data, size_t n) { request.on_data(std::string_view(data, n)); });
    req.sink = &*sink;
  }
  req.on_headers = request.on_headers;
  http::Client client(options_);  // libcurl handles are not shared between threads
  try {
    return client.perform(req);
  } catch (const http::TransportError& e) {
    std::string detail = e.detail();
    if (never_connected(e) && e.os_errno() == EACCES) {
      throw Error("cannot reach the Docker engine at " + endpoint_.str() +
                  ": permission denied on the socket; run as a member of the `docker` group, "
                  "or set DOCKER_HOST to an engine you may use");
    }
    if (never_connected(e) && endpoint_.kind == DockerEndpoint::Kind::kUnix && e.os_errno() != 0) {
      detail =
          e.os_errno() == ENOENT ? "no such socket" : std::strerror(static_cast<int>(e.os_errno()));
    }
    if (never_connected(e)) {
      throw Error("cannot reach the Docker engine at " + endpoint_.str() + ": " + redact(detail) +
                  "; " + how_to_start(endpoint_));
    }
    const std::string what = request.purpose.empty() ? request.method : request.purpose;
    throw Error("lost the connection to the Docker engine at " + endpoint_.str() + " during " +
                redact(what) + ": " + redact(detail));
  }
}

}  // namespace lava::docker
