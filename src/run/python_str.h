// Python's str() of the scalars a job spec holds, as the worker sees them (str(a) of each
// arg, str(user), str() of a group id).
#pragma once

#include <string>

#include "project/yaml_load.h"

namespace lava::run {

// "x" for a string, 42, 1.5 (Python's float repr), True/False, None; JSON text otherwise.
std::string python_str(const project::Json& value);

}  // namespace lava::run
