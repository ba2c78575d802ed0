// Byte counts as people read them: "512 B", "41.2 MiB" (binary units, one decimal).
#pragma once

#include <cstdint>
#include <string>

namespace lava {

std::string human_size(uintmax_t bytes);

}  // namespace lava
