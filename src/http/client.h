// A thin libcurl client: one request at a time per Client, connections reused, bounded
// retries with backoff on 429/5xx/connection errors, bodies streamed both ways.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/body.h"
#include "http/headers.h"
#include "http/retry_policy.h"
#include "util/error.h"

namespace lava::http {

// The request never got an HTTP answer (refused, reset, timed out, TLS failure), after
// every allowed attempt.
class TransportError : public Error {
 public:
  TransportError(const std::string& message, int curl_code, std::string detail = {},
                 long os_errno = 0, long status = 0)
      : Error(message),
        curl_code_(curl_code),
        detail_(std::move(detail)),
        os_errno_(os_errno),
        status_(status) {}
  int curl_code() const { return curl_code_; }
  const std::string& detail() const { return detail_; }  // libcurl's own words
  long os_errno() const { return os_errno_; }  // of a failed connect, when libcurl knows it
  long status() const { return status_; }      // an HTTP status seen before the failure, or 0

 private:
  int curl_code_;
  std::string detail_;
  long os_errno_;
  long status_;
};

struct Request {
  static Request make(std::string method, std::string url) {
    Request r;
    r.method = std::move(method);
    r.url = std::move(url);
    return r;
  }
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::shared_ptr<BodySource> body;      // none: no body (PUT/POST/PATCH send Content-Length: 0)
  Sink* sink = nullptr;                  // 2xx bodies go here instead of Response::body
  bool follow_redirects = true;          // only for requests without a body
  std::optional<RetryPolicy> retry;      // overrides the client's policy
  std::chrono::milliseconds timeout{0};  // whole request; 0: none (a stall still aborts)
  // Bytes of the body sent and of the response received so far, during this attempt.
  std::function<void(uint64_t sent, uint64_t received)> progress;
  // Called with the status once a response's headers are complete, before its body: a
  // streamed answer is under way. An exception thrown here (or by the body or the sink)
  // ends the transfer and reaches the caller of perform().
  std::function<void(long status)> on_headers;
};

struct Response {
  long status = 0;
  Headers headers;   // of the final response
  std::string body;  // the body unless a sink took it (non-2xx bodies always land here)
  std::string url;   // effective URL after redirects
  int attempts = 0;
  bool ok() const { return status >= 200 && status < 300; }
};

struct ClientOptions {
  RetryPolicy retry;
  std::chrono::milliseconds connect_timeout{10000};
  // Abort a transfer that moves under low_speed_limit bytes/s for stall_timeout.
  std::chrono::seconds stall_timeout{120};
  long low_speed_limit = 1;
  // Deadline of a request whose answer is kept in memory (no sink, no streamed body: pings,
  // tokens, manifests, API calls) when the request sets none; 0: none.
  std::chrono::milliseconds request_timeout{0};
  // No retry starts once this long has passed since the first attempt; 0: no limit.
  std::chrono::milliseconds retry_window{0};
  bool verify_tls = true;
  // PEM files: a CA bundle to verify the server with, and a client certificate and key.
  std::string ca_file, cert_file, key_file;
  std::string user_agent = "lava-docker";
  std::string unix_socket;  // talk to this socket instead of TCP
  // Ctrl-C (util/cancellation) aborts a transfer under way. Off for a peer that must still
  // be talked to while a cancelled command cleans up (the Docker engine).
  bool abort_on_cancel = true;
  // Called before sleeping for a retry: what failed and how long we wait.
  std::function<void(const std::string& what, std::chrono::milliseconds delay)> on_retry;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request`, repeating it per the retry policy while the answer is a retryable
  // status or a connection error (and the body can be rewound). Returns the last response,
  // whatever its status; throws TransportError when no response came at all.
  Response perform(const Request& request);

  // Every attempt sent, retries included.
  uint64_t requests_sent() const { return requests_sent_; }
  const ClientOptions& options() const { return options_; }

 private:
  struct AttemptFailure {
    int curl_code = 0;  // negative: retryable, but the body or sink cannot be replayed
    std::string detail;
    long os_errno = 0;
    long status = 0;
  };
  Response attempt(const Request& request, AttemptFailure& failure);
  ClientOptions options_;
  void* curl_ = nullptr;
  std::atomic<uint64_t> requests_sent_{0};
  std::mt19937_64 rng_;
};

// Curl codes that mean "try again later": refused, reset, timed out, empty reply.
bool is_retryable_curl_code(int code);

// `location` (absolute or relative) resolved against `base`.
std::string resolve_url(const std::string& base, const std::string& location);
// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);
// "k=v&k2=v2", each key and value percent-encoded; empty values are kept ("q=").
std::string url_query(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace lava::http
