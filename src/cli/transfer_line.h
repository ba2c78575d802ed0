// One blob on its way (pushed by install, or a base layer fetched by a native build) as a
// status line rewritten in place on a terminal:
//   "hello: base layer 1a2b3c4d5e6f  45% 12.0 MiB / 27.0 MiB  3.1 MiB/s"
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "oci/descriptor.h"

namespace lava::cli {

// The first 12 hex digits of a digest, as docker shows layers.
std::string short_hex(const oci::Digest& d);

class TransferLine {
 public:
  // The blob starts moving now (its speed is counted from here).
  void start();
  // Redraws the line: `what` (who and which blob), then `bytes` of `blob.size` moved and the
  // speed; at most every 100 ms unless `force` (the first draw is never held back).
  void draw(const std::string& what, const oci::Descriptor& blob, uint64_t bytes,
            bool force = false);
  // Erases the line when one is drawn.
  void clear();

 private:
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace lava::cli
