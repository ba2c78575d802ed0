// When and how long to wait before repeating a failed HTTP request.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace lava::http {

struct RetryPolicy {
  int max_attempts = 5;  // total tries, the first included; 1 means no retry
  std::chrono::milliseconds initial_delay{250};
  std::chrono::milliseconds max_delay{8000};
  double multiplier = 2.0;
  // A Retry-After longer than this is cut down to it, so one server cannot stall us.
  std::chrono::milliseconds max_retry_after{30000};

  static RetryPolicy none() { return RetryPolicy{1, {}, {}, 1.0, {}}; }
};

// Statuses worth repeating: 408, 429 and every 5xx except 501 (not implemented) and
// 505 (version not supported), which will not change on a second try.
bool is_retryable_status(long status);

// The delay before attempt `attempt + 1` (attempt counts from 1): "full jitter", a uniform
// draw in [0, min(max_delay, initial_delay * multiplier^(attempt-1))], so that many clients
// hit by the same outage do not come back in lockstep. A server's Retry-After, when given,
// is a floor (capped by max_retry_after).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::mt19937_64& rng);

// Parses a Retry-After value: delta-seconds or an HTTP date; nullopt when unparsable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

}  // namespace lava::http
