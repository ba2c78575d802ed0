// The Dockerfile used when neither the payload nor the project's etc/ has one.
#pragma once

#include <string_view>

namespace lava::context {

// The template text of src/context/default.Dockerfile, embedded at build time.
std::string_view default_dockerfile();

}  // namespace lava::context
