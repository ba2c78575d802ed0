// Jinja2's built-in tests (`x is defined`, `x is divisibleby 3`, ...).
#include <map>

#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/args.h"
#include "template/errors.h"
#include "template/filters.h"
#include "template/objects.h"
#include "template/pyops.h"
#include "template/runtime.h"

namespace lava::tmpl {

namespace {

Value one_arg(const char* name, CallArgs& args) {
  ArgBinder a(name, args, {"other"}, 1);
  return a.get(0);
}

bool t_odd(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_odd", args, {});
  return py_eq(py_mod(v, Value(int64_t{2})), Value(int64_t{1}));
}
bool t_even(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_even", args, {});
  return py_eq(py_mod(v, Value(int64_t{2})), Value(int64_t{0}));
}
bool t_divisibleby(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_divisibleby", args, {"num"}, 1);
  return py_eq(py_mod(v, a.get(0)), Value(int64_t{0}));
}
bool t_defined(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_defined", args, {});
  return !v.is_undefined();
}
bool t_undefined(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_undefined", args, {});
  return v.is_undefined();
}
bool t_filter(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_filter", args, {});
  return v.is_string() && find_filter(v.str()) != nullptr;
}
bool t_test(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_test", args, {});
  return v.is_string() && find_test(v.str()) != nullptr;
}
bool t_none(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_none", args, {});
  return v.is_none();
}
bool t_boolean(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_boolean", args, {});
  return v.is_bool();
}
bool t_false(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_false", args, {});
  return v.is_bool() && !v.as_bool();
}
bool t_true(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_true", args, {});
  return v.is_bool() && v.as_bool();
}
bool t_integer(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_integer", args, {});
  return v.is_int();
}
bool t_float(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_float", args, {});
  return v.is_float();
}
bool t_lower(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_lower", args, {});
  std::u32string u = pytext::decode(py_str(v));
  bool cased = false;
  for (char32_t c : u) {
    if (pytext::is_upper(c)) return false;
    if (pytext::is_lower(c)) cased = true;
  }
  return cased;
}
bool t_upper(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_upper", args, {});
  std::u32string u = pytext::decode(py_str(v));
  bool cased = false;
  for (char32_t c : u) {
    if (pytext::is_lower(c)) return false;
    if (pytext::is_upper(c)) cased = true;
  }
  return cased;
}
bool t_string(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_string", args, {});
  return v.is_string();
}
bool t_mapping(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_mapping", args, {});
  return v.is_dict() || (v.is_object() && v.obj().is_mapping());
}
bool t_number(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_number", args, {});
  return v.is_number();
}
bool t_sequence(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_sequence", args, {});
  switch (v.kind()) {
    case Kind::Undefined:
    case Kind::String:
    case Kind::Dict:
      return true;
    case Kind::List:
    case Kind::Tuple:
      return v.is_indexable();
    case Kind::Object:
      return v.obj().is_sequence();
    default:
      return false;
  }
}
bool t_iterable(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_iterable", args, {});
  return py_iterable(v);
}
bool t_callable(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("callable", args, {});
  return v.is_object() && v.obj().is_callable();
}
bool t_sameas(Runtime&, const Value& v, CallArgs& args) {
  Value o = one_arg("test_sameas", args);
  if (v.kind() != o.kind()) return false;
  switch (v.kind()) {
    case Kind::None:
      return true;
    case Kind::Bool:
      return v.as_bool() == o.as_bool();
    case Kind::Int:
      return v.as_int() == o.as_int() && v.as_int() >= -5 && v.as_int() <= 256;
    case Kind::Undefined:
      return false;
    default:
      return v.heap() == o.heap();
  }
}
bool t_escaped(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_escaped", args, {});
  return v.is_string() && v.safe();
}
bool t_in(Runtime&, const Value& v, CallArgs& args) {
  ArgBinder a("test_in", args, {"seq"}, 1);
  return py_contains(a.get(0), v);
}
bool t_eq(Runtime&, const Value& v, CallArgs& args) {
  return py_eq(v, one_arg("eq", args));
}
bool t_ne(Runtime&, const Value& v, CallArgs& args) {
  return !py_eq(v, one_arg("ne", args));
}
bool t_gt(Runtime&, const Value& v, CallArgs& args) {
  return py_cmp(v, one_arg("gt", args), ">") == 1;
}
bool t_ge(Runtime&, const Value& v, CallArgs& args) {
  int c = py_cmp(v, one_arg("ge", args), ">=");
  return c == 1 || c == 0;
}
bool t_lt(Runtime&, const Value& v, CallArgs& args) {
  return py_cmp(v, one_arg("lt", args), "<") == -1;
}
bool t_le(Runtime&, const Value& v, CallArgs& args) {
  int c = py_cmp(v, one_arg("le", args), "<=");
  return c == -1 || c == 0;
}

const std::map<std::string_view, TestFn>& test_table() {
  static const std::map<std::string_view, TestFn> t = {
      {"odd", t_odd},
      {"even", t_even},
      {"divisibleby", t_divisibleby},
      {"defined", t_defined},
      {"undefined", t_undefined},
      {"filter", t_filter},
      {"test", t_test},
      {"none", t_none},
      {"boolean", t_boolean},
      {"false", t_false},
      {"true", t_true},
      {"integer", t_integer},
      {"float", t_float},
      {"lower", t_lower},
      {"upper", t_upper},
      {"string", t_string},
      {"mapping", t_mapping},
      {"number", t_number},
      {"sequence", t_sequence},
      {"iterable", t_iterable},
      {"callable", t_callable},
      {"sameas", t_sameas},
      {"escaped", t_escaped},
      {"in", t_in},
      {"==", t_eq},
      {"eq", t_eq},
      {"equalto", t_eq},
      {"!=", t_ne},
      {"ne", t_ne},
      {">", t_gt},
      {"gt", t_gt},
      {"greaterthan", t_gt},
      {"ge", t_ge},
      {">=", t_ge},
      {"<", t_lt},
      {"lt", t_lt},
      {"lessthan", t_lt},
      {"<=", t_le},
      {"le", t_le},
  };
  return t;
}

}  // namespace

TestFn find_test(std::string_view name) {
  const auto& t = test_table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : it->second;
}

}  // namespace lava::tmpl
