// What fetching one base-image blob from a registry looks like to whoever shows progress:
// kStart, kProgress as bytes arrive (back to 0 when a retry starts over), then kDone. Blobs
// already in the cache are not fetched, so they report nothing.
#pragma once

#include <cstdint>
#include <functional>

#include "oci/descriptor.h"

namespace lava::registry {

struct BlobFetchEvent {
  enum class Kind { kStart, kProgress, kDone };
  Kind kind;
  oci::Descriptor descriptor;  // its size is the total
  uint64_t bytes = 0;          // received so far (kProgress; the size at kDone)
};
using BlobFetchCallback = std::function<void(const BlobFetchEvent&)>;

}  // namespace lava::registry
