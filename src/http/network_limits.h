// How long a registry (or AWS API) request may take before we give up on it, so that a
// server that accepts a connection and then stalls, or trickles, fails in well under a
// minute with one line instead of hanging. Defaults, each overridable by the environment:
//
//   LAVA_HTTP_CONNECT_TIMEOUT   5     seconds to establish a connection (TCP and TLS)
//   LAVA_HTTP_STALL_TIMEOUT     10    seconds a transfer may stay under the low-speed limit
//   LAVA_HTTP_LOW_SPEED_LIMIT   1024  bytes per second
//   LAVA_HTTP_REQUEST_TIMEOUT   30    seconds for a whole small request (ping, token,
//                                     manifest, API call); blob transfers have no overall
//                                     deadline, only the low-speed limit
//   LAVA_HTTP_RETRY_WINDOW      20    seconds after the first attempt in which a failed
//                                     request (timeout, connection error, 429, 5xx) is retried
//
// The Docker engine's client does not use these: a silent RUN step is not a stall.
#pragma once

#include <chrono>

#include "http/client.h"

namespace lava::http {

struct NetworkLimits {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::seconds stall_timeout{10};
  long low_speed_limit = 1024;
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds retry_window{20000};
};

// The defaults above with the environment's overrides; a value that is not a non-negative
// whole number is an error naming the variable.
NetworkLimits network_limits_from_env();

// Sets `options`' timeouts, low-speed limit and retry window from `limits`.
void apply_network_limits(const NetworkLimits& limits, ClientOptions& options);

}  // namespace lava::http
