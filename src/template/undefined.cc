#include "template/undefined.h"

#include "template/pyops.h"

namespace lava::tmpl {

Value undefined_name(std::string_view name) {
  return Value::undefined(repr_string(name) + " is undefined");
}

Value undefined_attr(const Value& obj, std::string_view name) {
  return Value::undefined(repr_string(object_type_repr(obj)) + " has no attribute " +
                          repr_string(name));
}

Value undefined_item(const Value& obj, const Value& key) {
  if (key.is_string()) return undefined_attr(obj, key.str());
  return Value::undefined(object_type_repr(obj) + " has no element " + py_repr(key));
}

Value undefined_hint(std::string hint) {
  return Value::undefined(std::move(hint));
}

}  // namespace lava::tmpl
