#include "http/client.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "http/test_server.h"
#include "util/cancellation.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lava::http::Client;
using lava::http::Request;

namespace {

std::string source_dir() {
  const char* d = std::getenv("LAVA_SOURCE_DIR");
  return d ? d : ".";
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[32];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<lava::testing::ScriptServer>(std::vector<std::string>{
        "/usr/bin/python3", source_dir() + "/src/http/testdata/flaky_server.py"});
  }
  lava::http::ClientOptions fast() {
    lava::http::ClientOptions o;
    o.retry.initial_delay = 5ms;
    o.retry.max_delay = 20ms;
    o.retry.max_attempts = 4;
    return o;
  }
  std::unique_ptr<lava::testing::ScriptServer> server_;
};

TEST_F(HttpClientTest, RetriesServerErrorsThenSucceeds) {
  Client c(fast());
  std::vector<std::string> retries;
  auto r = c.perform(Request::make("GET", server_->url() + "/flaky/2/503"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(c.requests_sent(), 3u);
}

TEST_F(HttpClientTest, Retries429) {
  Client c(fast());
  auto r = c.perform(Request::make("GET", server_->url() + "/flaky/1/429"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(HttpClientTest, GivesUpAfterMaxAttemptsAndReturnsTheLastAnswer) {
  Client c(fast());
  auto r = c.perform(Request::make("GET", server_->url() + "/flaky/10/500"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(r.body, "try later");
}

TEST_F(HttpClientTest, DoesNotRetryClientErrors) {
  Client c(fast());
  auto r = c.perform(Request::make("GET", server_->url() + "/flaky/10/404"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.attempts, 1);
}

TEST_F(HttpClientTest, RetriesDroppedConnections) {
  Client c(fast());
  auto r = c.perform(Request::make("GET", server_->url() + "/drop/2"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.attempts, 3);
}

TEST_F(HttpClientTest, HonoursRetryAfter) {
  Client c(fast());
  std::chrono::milliseconds waited{0};
  auto opts = fast();
  opts.on_retry = [&](const std::string&, std::chrono::milliseconds d) { waited = d; };
  Client c2(opts);
  auto r = c2.perform(Request::make("GET", server_->url() + "/retry-after"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(waited, 1000ms);
}

TEST_F(HttpClientTest, ConnectionRefusedIsATransportErrorAfterRetries) {
  int port = server_->port();
  server_->stop();
  Client c(fast());
  try {
    c.perform(Request::make("GET", "http://127.0.0.1:" + std::to_string(port) + "/x"));
    FAIL() << "no error";
  } catch (const lava::http::TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("after 4 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.requests_sent(), 4u);
}

TEST_F(HttpClientTest, StreamsAFileRangeAsTheBody) {
  fs::path dir = fs::temp_directory_path() / ("lava-http-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string content;
  for (int i = 0; i < 300000; ++i) content += static_cast<char>(i * 7);
  { std::ofstream(dir / "f", std::ios::binary) << content; }
  Client c(fast());
  auto req = Request::make("PUT", server_->url() + "/echo");
  req.body = lava::http::body_from_file(dir / "f", 1000, 250000);
  auto r = c.perform(req);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, sha256_hex(content.substr(1000, 250000)) + " 250000");
  // Unknown size: chunked transfer encoding.
  size_t pos = 0;
  auto streamed = Request::make("PUT", server_->url() + "/echo");
  streamed.body = lava::http::body_from_callback([&](char* buf, size_t max) {
    size_t n = std::min(max, content.size() - pos);
    std::memcpy(buf, content.data() + pos, n);
    pos += n;
    return n;
  });
  r = c.perform(streamed);
  EXPECT_EQ(r.body, sha256_hex(content) + " " + std::to_string(content.size()));
  fs::remove_all(dir);
}

TEST_F(HttpClientTest, StreamsResponsesToASink) {
  Client c(fast());
  std::string got;
  size_t chunks = 0;
  lava::http::CallbackSink sink([&](const char* d, size_t n) {
    got.append(d, n);
    ++chunks;
  });
  auto req = Request::make("GET", server_->url() + "/big/1000000");
  req.sink = &sink;
  auto r = c.perform(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(got.size(), 1000000u);
  EXPECT_GT(chunks, 1u);
  EXPECT_EQ(static_cast<unsigned char>(got[257]), 1);
}

TEST_F(HttpClientTest, ErrorBodiesDoNotReachTheSink) {
  Client c(fast());
  lava::http::StringSink sink;
  auto req = Request::make("GET", server_->url() + "/nothing");
  req.sink = &sink;
  auto r = c.perform(req);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "no such path");
  EXPECT_TRUE(sink.data().empty());
}

TEST_F(HttpClientTest, TellsTheStatusBeforeTheBodyArrives) {
  Client c(fast());
  std::vector<std::string> order;
  lava::http::CallbackSink sink([&](const char*, size_t) {
    if (order.empty() || order.back() != "body") order.push_back("body");
  });
  auto req = Request::make("GET", server_->url() + "/big/100000");
  req.sink = &sink;
  req.on_headers = [&](long status) { order.push_back("status " + std::to_string(status)); };
  c.perform(req);
  EXPECT_EQ(order, (std::vector<std::string>{"status 200", "body"}));
}

// A callback's own error type reaches the caller: a Ctrl-C seen inside a sink stays a
// cancellation, not a generic failure.
TEST_F(HttpClientTest, CallbackErrorsKeepTheirType) {
  Client c(fast());
  lava::http::CallbackSink sink([&](const char*, size_t) { throw lava::Cancelled(2); });
  auto req = Request::make("GET", server_->url() + "/big/100000");
  req.sink = &sink;
  EXPECT_THROW(c.perform(req), lava::Cancelled);
  auto headers = Request::make("GET", server_->url() + "/big/10");
  headers.on_headers = [](long) { throw std::runtime_error("not lava's"); };
  try {
    c.perform(headers);
    ADD_FAILURE() << "no exception";
  } catch (const lava::Error& e) {
    EXPECT_STREQ(e.what(), "not lava's");
  }
}

TEST(HttpUrl, QueryEncodesKeysAndValues) {
  EXPECT_EQ(lava::http::url_query({{"t", "a/b:1"}, {"q", ""}, {"f", "{\"x\": 1}"}}),
            "t=a%2Fb%3A1&q=&f=%7B%22x%22%3A%201%7D");
}

TEST(HttpUrl, ResolveAndEncode) {
  EXPECT_EQ(lava::http::resolve_url("http://h:5000/v2/a/blobs/uploads/",
                                    "/v2/a/blobs/uploads/x?_state=1"),
            "http://h:5000/v2/a/blobs/uploads/x?_state=1");
  EXPECT_EQ(lava::http::resolve_url("http://h:5000/v2/", "https://other/x"), "https://other/x");
  EXPECT_EQ(lava::http::url_encode("a b/c:d~"), "a%20b%2Fc%3Ad~");
}

}  // namespace
