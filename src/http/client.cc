#include "http/client.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "http/libcurl.h"
#include "util/cancellation.h"
#include "util/redact.h"

namespace lava::http {

namespace {

// Bodies of error responses and of sink-less requests are kept in memory: bound them.
constexpr size_t kMaxErrorBody = 1 << 20;
constexpr size_t kMaxMemoryBody = 64u << 20;

struct Transfer {
  CURL* curl = nullptr;
  const Request* request = nullptr;
  Response* response = nullptr;
  BodySource* body = nullptr;
  bool body_started = false;  // some body bytes went out
  bool sink_touched = false;  // some response bytes went to the sink
  bool abort_on_cancel = true;
  std::exception_ptr callback_failure;  // thrown by a body, sink or callback: re-thrown after
  bool too_big = false;
};

// What a body, sink or callback threw, for the caller: our own errors as they are (their
// type says what happened), anything else as an Error with its message.
[[noreturn]] void rethrow_callback_failure(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(e.what());
  }
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    t->response->headers.clear();  // a new response (redirect, 100-continue)
    return size * n;
  }
  if (line == "\r\n" || line == "\n") {
    long status = 0;
    curl_api::easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && t->request->on_headers) {
      try {
        t->request->on_headers(status);
      } catch (...) {
        t->callback_failure = std::current_exception();
        return 0;  // aborts the transfer
      }
    }
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
      s.remove_suffix(1);
    return s;
  };
  t->response->headers.add(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  return size * n;
}

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  long status = 0;
  curl_api::easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->request->sink && status >= 200 && status < 300) {
    try {
      t->sink_touched = true;
      t->request->sink->write(data, bytes);
    } catch (...) {
      t->callback_failure = std::current_exception();
      return 0;
    }
    return bytes;
  }
  size_t cap = (status >= 200 && status < 300) ? kMaxMemoryBody : kMaxErrorBody;
  if (t->response->body.size() + bytes > cap) {
    if (status >= 200 && status < 300) {
      t->too_big = true;
      return 0;
    }
    return bytes;  // drop the tail of a huge error page
  }
  t->response->body.append(data, bytes);
  return bytes;
}

size_t on_read(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  try {
    size_t got = t->body->read(buf, size * n);
    if (got > 0) t->body_started = true;
    return got;
  } catch (...) {
    t->callback_failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int on_progress(void* user, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (t->abort_on_cancel && cancel_requested()) return 1;  // Ctrl-C: abort, then unwind
  if (t->request->progress)
    t->request->progress(static_cast<uint64_t>(ulnow), static_cast<uint64_t>(dlnow));
  return 0;
}

}  // namespace

bool is_retryable_curl_code(int code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_COULDNT_RESOLVE_HOST:
      return true;
    default:
      return false;
  }
}

Client::Client(ClientOptions options) : options_(std::move(options)), rng_(std::random_device{}()) {
  libcurl();  // loaded and initialised once
  curl_ = curl_api::easy_init();
  if (!curl_) throw Error("libcurl: cannot create a handle");
}

Client::~Client() {
  curl_api::easy_cleanup(static_cast<CURL*>(curl_));
}

Response Client::attempt(const Request& request, AttemptFailure& failure) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_api::easy_reset(curl);  // keeps the connection cache
  Response response;
  Transfer t;
  t.curl = curl;
  t.request = &request;
  t.response = &response;
  t.abort_on_cancel = options_.abort_on_cancel;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_api::easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_api::easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_api::easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_api::easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_api::easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                        static_cast<long>(options_.connect_timeout.count()));
  curl_api::easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, std::max(1L, options_.low_speed_limit));
  curl_api::easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                        static_cast<long>(options_.stall_timeout.count()));
  auto deadline = request.timeout;
  if (deadline.count() == 0 && !request.sink && !request.body) deadline = options_.request_timeout;
  if (deadline.count() > 0)
    curl_api::easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(deadline.count()));
  if (!options_.verify_tls) {
    curl_api::easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_api::easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.ca_file.empty())
    curl_api::easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.cert_file.empty())
    curl_api::easy_setopt(curl, CURLOPT_SSLCERT, options_.cert_file.c_str());
  if (!options_.key_file.empty())
    curl_api::easy_setopt(curl, CURLOPT_SSLKEY, options_.key_file.c_str());
  if (!options_.unix_socket.empty())
    curl_api::easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, options_.unix_socket.c_str());
  curl_api::easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_api::easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_api::easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_api::easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_api::easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_api::easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  // Always on: it is where a transfer notices Ctrl-C.
  curl_api::easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_api::easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_api::easy_setopt(curl, CURLOPT_XFERINFODATA, &t);

  const std::string& m = request.method;
  bool sends_body = request.body || m == "PUT" || m == "POST" || m == "PATCH";
  std::shared_ptr<BodySource> body = request.body;
  if (sends_body && !body) body = body_from_string("");
  t.body = body.get();
  if (m == "HEAD") {
    curl_api::easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (sends_body) {
    curl_api::easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_api::easy_setopt(curl, CURLOPT_CUSTOMREQUEST, m.c_str());
    curl_api::easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_api::easy_setopt(curl, CURLOPT_READDATA, &t);
    auto size = body->size();
    if (size) curl_api::easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(*size));
  } else if (m != "GET") {
    curl_api::easy_setopt(curl, CURLOPT_CUSTOMREQUEST, m.c_str());
  }
  if (!sends_body && request.follow_redirects) {
    curl_api::easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_api::easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  }

  curl_slist* list = nullptr;
  for (const auto& [k, v] : request.headers.items())
    list = curl_api::slist_append(list, (k + (v.empty() ? ";" : ": " + v)).c_str());
  if (sends_body && !request.headers.get("Expect")) list = curl_api::slist_append(list, "Expect:");
  curl_api::easy_setopt(curl, CURLOPT_HTTPHEADER, list);

  ++requests_sent_;
  CURLcode rc = curl_api::easy_perform(curl);
  curl_api::slist_free_all(list);
  failure.curl_code = rc;
  if (options_.abort_on_cancel) throw_if_cancelled();
  if (rc != CURLE_OK) {
    if (t.callback_failure) rethrow_callback_failure(t.callback_failure);
    if (t.too_big)
      throw Error(redact(request.url) + ": response larger than " + std::to_string(kMaxMemoryBody) +
                  " bytes");
    failure.detail = errbuf[0] ? errbuf : curl_api::easy_strerror(rc);
    while (!failure.detail.empty() && failure.detail.back() == '\n') failure.detail.pop_back();
    curl_api::easy_getinfo(curl, CURLINFO_OS_ERRNO, &failure.os_errno);
    curl_api::easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &failure.status);
    // A sink that got bytes must be reset before a retry can reuse it.
    if (t.sink_touched && !request.sink->reset()) failure.curl_code = -rc;
    if (t.body_started && request.body && !request.body->rewind()) failure.curl_code = -rc;
    return response;
  }
  curl_api::easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  char* url = nullptr;
  curl_api::easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &url);
  if (url) response.url = url;
  return response;
}

Response Client::perform(const Request& request) {
  const RetryPolicy& policy = request.retry ? *request.retry : options_.retry;
  const auto started = std::chrono::steady_clock::now();
  for (int n = 1;; ++n) {
    AttemptFailure failure;
    if (n > 1 && request.body && !request.body->rewind())
      throw Error(redact(request.url) + ": cannot resend a streamed request body");
    if (n > 1 && request.sink && !request.sink->reset())
      throw Error(redact(request.url) + ": cannot restart the response sink");
    Response r = attempt(request, failure);
    const int curl_code = failure.curl_code;
    r.attempts = n;
    bool last = n >= policy.max_attempts ||
                (options_.retry_window.count() > 0 &&
                 std::chrono::steady_clock::now() - started >= options_.retry_window);
    std::string what;
    std::optional<std::chrono::milliseconds> retry_after;
    if (curl_code != 0) {
      // Negative: retryable in principle, but the body or sink cannot be replayed.
      bool retryable = curl_code > 0 && is_retryable_curl_code(curl_code);
      what = request.method + " " + redact(request.url) + ": " + failure.detail;
      if (!retryable || last) {
        if (n > 1) what += " (after " + std::to_string(n) + " attempts)";
        throw TransportError(what, curl_code < 0 ? -curl_code : curl_code, redact(failure.detail),
                             failure.os_errno, failure.status);
      }
    } else {
      if (!is_retryable_status(r.status) || last) return r;
      if (request.body && !request.body->rewind()) return r;
      what = request.method + " " + redact(request.url) + ": HTTP " + std::to_string(r.status);
      if (auto ra = r.headers.get("Retry-After")) retry_after = parse_retry_after(*ra);
    }
    auto delay = backoff_delay(policy, n, retry_after, rng_);
    if (options_.on_retry) options_.on_retry(what, delay);
    std::this_thread::sleep_for(delay);
  }
}

std::string resolve_url(const std::string& base, const std::string& location) {
  CURLU* u = curl_api::url();
  std::string out = location;
  if (curl_api::url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
      curl_api::url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
    char* s = nullptr;
    if (curl_api::url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
      out = s;
      curl_api::free(s);
    }
  }
  curl_api::url_cleanup(u);
  return out;
}

std::string url_query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace lava::http
