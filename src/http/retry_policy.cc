#include "http/retry_policy.h"

#include "http/libcurl.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <string>

namespace lava::http {

bool is_retryable_status(long status) {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501 && status != 505;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::mt19937_64& rng) {
  double ceiling = static_cast<double>(policy.initial_delay.count()) *
                   std::pow(policy.multiplier, std::max(0, attempt - 1));
  ceiling = std::min(ceiling, static_cast<double>(policy.max_delay.count()));
  std::uniform_real_distribution<double> draw(0.0, std::max(0.0, ceiling));
  auto delay = std::chrono::milliseconds(static_cast<int64_t>(draw(rng)));
  if (retry_after) delay = std::max(delay, std::min(*retry_after, policy.max_retry_after));
  return delay;
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
  std::string v = value;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(0, 1);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    if (v.size() > 9) return std::chrono::milliseconds(999999999);
    return std::chrono::seconds(std::stol(v));
  }
  time_t when = curl_api::getdate(v.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  time_t now = std::time(nullptr);
  return std::chrono::seconds(when > now ? when - now : 0);
}

}  // namespace lava::http
