#include "http/network_limits.h"

#include <cstdlib>
#include <string>

#include "util/error.h"

namespace lava::http {

namespace {

// The variable's value as a whole number, or `fallback` when unset or empty.
long env_number(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  std::string s = v;
  if (s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9)
    throw Error(std::string(name) + "=" + s +
                ": not a whole number (seconds, or bytes per "
                "second for LAVA_HTTP_LOW_SPEED_LIMIT)");
  return std::stol(s);
}

}  // namespace

NetworkLimits network_limits_from_env() {
  NetworkLimits l;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  l.connect_timeout = seconds(env_number("LAVA_HTTP_CONNECT_TIMEOUT", 5));
  l.stall_timeout = seconds(env_number("LAVA_HTTP_STALL_TIMEOUT", 10));
  l.low_speed_limit = env_number("LAVA_HTTP_LOW_SPEED_LIMIT", 1024);
  l.request_timeout = seconds(env_number("LAVA_HTTP_REQUEST_TIMEOUT", 30));
  l.retry_window = seconds(env_number("LAVA_HTTP_RETRY_WINDOW", 20));
  return l;
}

void apply_network_limits(const NetworkLimits& limits, ClientOptions& options) {
  options.connect_timeout = limits.connect_timeout;
  options.stall_timeout = limits.stall_timeout;
  options.low_speed_limit = limits.low_speed_limit;
  options.request_timeout = limits.request_timeout;
  options.retry_window = limits.retry_window;
}

}  // namespace lava::http
