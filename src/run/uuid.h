// Random (version 4) UUIDs, as lava uses for run ids.
#pragma once

#include <string>

namespace lava::run {

// "1b4e28ba-2fa1-4d2e-8b3c-0f1e2d3c4b5a": 122 random bits from the OS.
std::string new_uuid4();

}  // namespace lava::run
