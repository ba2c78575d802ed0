// The Python methods templates call on values: str (split, strip, replace, format, ...),
// dict (get, keys, values, items, ...), list (index, count, append, ...), and the few
// attributes of numbers.
#pragma once

#include <optional>
#include <string_view>

#include "template/value.h"

namespace lava::tmpl {

class Runtime;

// True when values of self's type have a method called `name` (attribute lookup finds
// methods before dict keys, as Python's getattr does).
bool has_method(const Value& self, std::string_view name);
Value call_method(Runtime& rt, const Value& self, std::string_view name, CallArgs& args);
// Non-method attributes of builtin values (int.real, float.imag, ...).
std::optional<Value> builtin_attribute(const Value& self, std::string_view name);

// str.format(*args, **kwargs).
std::string str_format(Runtime& rt, std::string_view fmt, const CallArgs& args);

}  // namespace lava::tmpl
