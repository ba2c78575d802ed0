#include "http/network_limits.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace lava::http {
namespace {

// Accepts connections, reads the request and never answers, until stopped.
class StallingServer {
 public:
  StallingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        ++accepted_;
        held_.push_back(c);  // kept open, never answered
      }
    });
  }
  ~StallingServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
    for (int c : held_) ::close(c);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v2/"; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::vector<int> held_;
  std::thread thread_;
};

TEST(NetworkLimits, StalledServerIsRetriedThenGivenUp) {
  StallingServer server;
  NetworkLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(1000);
  limits.stall_timeout = std::chrono::seconds(1);
  limits.request_timeout = std::chrono::milliseconds(1500);
  limits.retry_window = std::chrono::milliseconds(4000);
  ClientOptions options;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  apply_network_limits(limits, options);
  std::vector<std::string> retries;
  options.on_retry = [&](const std::string& what, std::chrono::milliseconds) {
    retries.push_back(what);
  };
  Client client(options);
  try {
    client.perform(Request::make("GET", server.url()));
    FAIL() << "a server that never answers gave a response";
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("attempts"), std::string::npos) << e.what();
  }
  EXPECT_GE(server.accepted(), 2);  // retried as for a 5xx
  EXPECT_FALSE(retries.empty());
}

TEST(NetworkLimits, EnvironmentOverridesAndRejectsNonsense) {
  ::setenv("LAVA_HTTP_STALL_TIMEOUT", "7", 1);
  ::unsetenv("LAVA_HTTP_CONNECT_TIMEOUT");
  NetworkLimits l = network_limits_from_env();
  EXPECT_EQ(l.stall_timeout, std::chrono::seconds(7));
  EXPECT_EQ(l.connect_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(l.low_speed_limit, 1024);
  ::setenv("LAVA_HTTP_STALL_TIMEOUT", "10s", 1);
  try {
    network_limits_from_env();
    FAIL() << "accepted 10s";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("LAVA_HTTP_STALL_TIMEOUT=10s"), std::string::npos);
  }
  ::unsetenv("LAVA_HTTP_STALL_TIMEOUT");
}

}  // namespace
}  // namespace lava::http
