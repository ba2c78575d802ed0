// Jinja2's default Undefined: how undefined values are made and what their errors say.
// (Their behaviour — empty str(), false, empty iteration, errors on everything else — lives
// in pyops.cc and runtime.cc, which consult Value::is_undefined.)
#pragma once

#include <string>
#include <string_view>

#include "template/value.h"

namespace lava::tmpl {

// A variable that is not defined: "'name' is undefined".
Value undefined_name(std::string_view name);
// A missing attribute: "'dict object' has no attribute 'x'".
Value undefined_attr(const Value& obj, std::string_view name);
// A missing item: string keys read like attributes, others "list object has no element 3".
Value undefined_item(const Value& obj, const Value& key);
// An undefined value with an explicit message ("there is no previous item").
Value undefined_hint(std::string hint);

}  // namespace lava::tmpl
