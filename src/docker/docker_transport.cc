#include "docker/docker_transport.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>

#include "http/client.h"
#include "http/libcurl.h"
#include "util/error.h"
#include "util/redact.h"

namespace lava::docker {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_api::easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_api::slist_free_all(s); }
};

// State the curl callbacks share with send().
struct Exchange {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  CURL* curl = nullptr;
  std::exception_ptr failure;  // thrown by a user callback
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  if ((line == "\r\n" || line == "\n") && ex->request->on_headers) {
    long status = 0;
    curl_api::easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &status);
    try {
      ex->request->on_headers(status);
    } catch (...) {
      ex->failure = std::current_exception();
      return 0;  // aborts the transfer
    }
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    ex->response->headers[name] = std::string(value);
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t n = size * count;
  long status = 0;
  curl_api::easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &status);
  bool success = status >= 200 && status < 300;
  if (!success || !ex->request->on_data) {
    ex->response->body.append(data, n);
    return n;
  }
  try {
    ex->request->on_data(std::string_view(data, n));
  } catch (...) {
    ex->failure = std::current_exception();
    return 0;  // aborts the transfer
  }
  return n;
}

size_t on_read(char* buf, size_t size, size_t count, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  try {
    return ex->request->body_source(buf, size * count);
  } catch (...) {
    ex->failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

std::string how_to_start(const DockerEndpoint& ep) {
  return "start the Docker engine (e.g. `sudo systemctl start docker`, or run `dockerd`) "
         "or set DOCKER_HOST to one that runs (now " +
         ep.str() + ")";
}

}  // namespace

std::string url_query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += http::url_encode(k) + "=" + http::url_encode(v);
  }
  return out;
}

DockerTransport::DockerTransport(DockerEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  http::libcurl();  // loaded and initialised once
}

HttpResponse DockerTransport::send(const HttpRequest& request) const {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_api::easy_init());
  if (!curl) throw Error("cannot initialise libcurl");
  CURL* c = curl.get();
  HttpResponse response;
  Exchange ex{&request, &response, c, nullptr};

  std::string base;
  if (endpoint_.kind == DockerEndpoint::Kind::kUnix) {
    curl_api::easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, endpoint_.socket_path.c_str());
    base = "http://localhost";
  } else {
    base = (endpoint_.tls ? "https://" : "http://") + endpoint_.host_port;
    if (endpoint_.tls) {
      curl_api::easy_setopt(c, CURLOPT_CAINFO, endpoint_.ca_file.c_str());
      curl_api::easy_setopt(c, CURLOPT_SSLCERT, endpoint_.cert_file.c_str());
      curl_api::easy_setopt(c, CURLOPT_SSLKEY, endpoint_.key_file.c_str());
      curl_api::easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_api::easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    }
  }
  std::string url = base + request.target;
  curl_api::easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_api::easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_api::easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_api::easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_api::easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_api::easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_api::easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_api::easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

  curl_slist* raw_headers = nullptr;
  for (const auto& h : request.headers)
    raw_headers = curl_api::slist_append(raw_headers, h.c_str());
  if (request.method == "POST" || request.method == "PUT") {
    curl_api::easy_setopt(c, CURLOPT_POST, 1L);
    if (request.body_source) {
      curl_api::easy_setopt(c, CURLOPT_READFUNCTION, on_read);
      curl_api::easy_setopt(c, CURLOPT_READDATA, &ex);
      raw_headers = curl_api::slist_append(raw_headers, "Transfer-Encoding: chunked");
    } else {
      // Points into `request`, which outlives the transfer (curl does not copy it).
      static const std::string kEmpty;
      const std::string& body = request.body ? *request.body : kEmpty;
      curl_api::easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_api::easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    }
    raw_headers = curl_api::slist_append(raw_headers, "Expect:");
  }
  if (request.method != "GET" && request.method != "POST") {
    curl_api::easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  std::unique_ptr<curl_slist, SlistDeleter> header_list(raw_headers);
  curl_api::easy_setopt(c, CURLOPT_HTTPHEADER, raw_headers);

  CURLcode rc = curl_api::easy_perform(c);
  if (ex.failure) std::rethrow_exception(ex.failure);
  curl_api::easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  if (rc != CURLE_OK) {
    std::string detail = errbuf[0] ? errbuf : curl_api::easy_strerror(rc);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    long os_errno = 0;
    curl_api::easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
    bool never_connected =
        response.status == 0 && (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                                 rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_SSL_CONNECT_ERROR ||
                                 rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR);
    if (never_connected && os_errno == EACCES) {
      throw Error("cannot reach the Docker engine at " + endpoint_.str() +
                  ": permission denied on the socket; run as a member of the `docker` group, "
                  "or set DOCKER_HOST to an engine you may use");
    }
    if (never_connected && endpoint_.kind == DockerEndpoint::Kind::kUnix && os_errno != 0) {
      detail = os_errno == ENOENT ? "no such socket" : std::strerror(static_cast<int>(os_errno));
    }
    if (never_connected) {
      throw Error("cannot reach the Docker engine at " + endpoint_.str() + ": " + redact(detail) +
                  "; " + how_to_start(endpoint_));
    }
    std::string what = request.purpose.empty() ? request.method : request.purpose;
    throw Error("lost the connection to the Docker engine at " + endpoint_.str() + " during " +
                redact(what) + ": " + redact(detail));
  }
  return response;
}

}  // namespace lava::docker
