// What the user asked `build` for, beyond the project itself.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "registry/blob_fetch_event.h"

namespace lava::builder {

struct BuildRequest {
  std::string network_mode;  // --network
  std::vector<std::pair<std::string, std::string>>
      build_args;      // --build-arg, after BASE_IMG/PIP_INDEX_URL
  bool force = false;  // --force
  bool pull = false;   // --pull: ask the base's registry again (the docker engine always does)
  // Called when a build is about to need HTTP (a registry or the Engine API), so the caller
  // can have its HTTP library loading meanwhile (start-up tuning stays in main).
  std::function<void()> network_ahead;
};

// Progress a build reports; all text already redacted.
struct BuildReporter {
  std::function<void(const std::string& payload, const std::string& line)>
      output;  // build output line
  std::function<void(const std::string& payload, const std::string& line)>
      step;  // "Step 2/7 : ..."
  std::function<void(const std::string& line)> notice;
  std::function<void(const std::string& line)> warning;  // shown even when quiet
  // A base layer the native engine fetches from the base's registry, as it arrives.
  std::function<void(const std::string& payload, const registry::BlobFetchEvent&)> base_download;
};

struct BuildOutcome {
  std::string payload;
  bool rebuilt = false;
  std::vector<std::string> summary;  // "linux/amd64 sha256:..." per image
};

// The build args every build gets: BASE_IMG from docker.base_img, PIP_INDEX_URL from the
// environment when set (registered as a secret), then `extra` (K=V, or K alone: from the
// environment, as docker does).
std::vector<std::pair<std::string, std::string>> standard_build_args(
    const std::string& base_img, const std::vector<std::string>& extra);

}  // namespace lava::builder
