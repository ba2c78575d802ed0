#include "http/retry_policy.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using lava::http::RetryPolicy;

TEST(RetryPolicy, RetryableStatuses) {
  for (long s : {408L, 429L, 500L, 502L, 503L, 504L})
    EXPECT_TRUE(lava::http::is_retryable_status(s)) << s;
  for (long s : {200L, 201L, 400L, 401L, 403L, 404L, 405L, 501L, 505L})
    EXPECT_FALSE(lava::http::is_retryable_status(s)) << s;
}

TEST(RetryPolicy, BackoffStaysWithinTheExponentialCeiling) {
  RetryPolicy p;
  p.initial_delay = 100ms;
  p.max_delay = 1000ms;
  std::mt19937_64 rng(42);
  for (int attempt = 1; attempt <= 8; ++attempt) {
    auto ceiling = std::min<int64_t>(100 * (1 << (attempt - 1)), 1000);
    int64_t largest = 0;
    for (int i = 0; i < 500; ++i) {
      auto d = lava::http::backoff_delay(p, attempt, std::nullopt, rng).count();
      EXPECT_GE(d, 0);
      EXPECT_LE(d, ceiling);
      largest = std::max(largest, d);
    }
    // Full jitter spreads over the range: the largest of 500 draws is near the ceiling.
    EXPECT_GT(largest, ceiling / 2) << "attempt " << attempt;
  }
}

TEST(RetryPolicy, RetryAfterIsAFloorButCapped) {
  RetryPolicy p;
  p.initial_delay = 10ms;
  p.max_delay = 20ms;
  p.max_retry_after = 5000ms;
  std::mt19937_64 rng(1);
  EXPECT_EQ(lava::http::backoff_delay(p, 1, 3000ms, rng), 3000ms);
  EXPECT_EQ(lava::http::backoff_delay(p, 1, 600000ms, rng), 5000ms);
}

TEST(RetryPolicy, ParseRetryAfter) {
  EXPECT_EQ(lava::http::parse_retry_after("7"), std::chrono::milliseconds(7000));
  EXPECT_EQ(lava::http::parse_retry_after(" 0 "), std::chrono::milliseconds(0));
  EXPECT_EQ(lava::http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            std::chrono::milliseconds(0));  // in the past
  EXPECT_FALSE(lava::http::parse_retry_after("soon"));
  EXPECT_FALSE(lava::http::parse_retry_after(""));
}
