// An image (or index) that has no image for a wanted platform: the one failure where
// "choose another base image or platform" is the right advice, as opposed to a blob that
// is missing or damaged.
#pragma once

#include "util/error.h"

namespace lava::oci {

class PlatformMissing : public Error {
 public:
  using Error::Error;
};

}  // namespace lava::oci
