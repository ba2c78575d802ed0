// Which scheme (https or plain http) a registry answered on, remembered across processes.
// Settling it costs a /v2/ ping, and for a plain-HTTP registry a failed TLS attempt before
// that: most of a code-only rebuild. A hint is only a guess: Client drops it and pings
// again when the first request through it fails.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace lava::registry {

class SchemeHints {
 public:
  // `dir` empty: remembers nothing.
  explicit SchemeHints(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // "https" or "http" as last recorded for `host` ("host[:port]").
  std::optional<std::string> get(const std::string& host) const;
  void put(const std::string& host, const std::string& scheme) const;
  void forget(const std::string& host) const;

 private:
  std::filesystem::path file(const std::string& host) const;
  std::filesystem::path dir_;
};

}  // namespace lava::registry
