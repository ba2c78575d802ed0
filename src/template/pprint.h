// Python's pprint.pformat, which Jinja's pprint filter calls.
#pragma once

#include <string>

#include "template/value.h"

namespace lava::tmpl {

// pprint.pformat(v): repr() within 80 columns, dicts sorted by key.
std::string pformat(const Value& v);

}  // namespace lava::tmpl
