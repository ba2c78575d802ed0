#include "run/python_str.h"

#include "template/pyops.h"

namespace lava::run {

std::string python_str(const project::Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "None";
  if (value.is_number_float()) return tmpl::float_repr(value.get<double>());
  return value.dump();  // integers, and lists or maps (which the callers refuse first)
}

}  // namespace lava::run
