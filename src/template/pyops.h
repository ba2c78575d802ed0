// Python semantics of template values: str(), repr(), truth, equality, ordering, hashing,
// arithmetic and the type names Python puts in its messages.
#pragma once

#include <string>
#include <string_view>

#include "template/value.h"

namespace lava::tmpl {

std::string py_str(const Value& v);   // str(v); Undefined -> ""
std::string py_repr(const Value& v);  // repr(v)
void py_str_to(std::string& out, const Value& v);
void py_repr_to(std::string& out, const Value& v);
std::string repr_string(std::string_view s);  // repr() of a str
std::string float_repr(double d);
bool py_truthy(const Value& v);
bool py_eq(const Value& a, const Value& b);
// Three-way comparison for <, <=, >, >=; throws TypeErr "'<' not supported between ..."
// when Python would. `op` is the operator text for the message.
int py_cmp(const Value& a, const Value& b, const char* op);
size_t py_hash(const Value& v);  // throws TypeErr for unhashable values

std::string py_type_name(const Value& v);  // 'int', 'str', 'dict', 'NoneType', ...
// jinja2.utils.object_type_repr: "None", "dict object", "jinja2.utils.Namespace object".
std::string object_type_repr(const Value& v);

// markupsafe.escape of text: & < > ' " become entities.
std::string escape_html(std::string_view s);
void escape_html_to(std::string& out, std::string_view s);
// markupsafe.escape(v): Markup stays as is; everything else is str()'d and escaped.
Value escape_value(const Value& v);
// markupsafe.soft_str: Markup stays Markup, the rest becomes str.
Value soft_str(const Value& v);

// Throws the UndefinedError an operation on `v` (an Undefined) raises.
[[noreturn]] void fail_undefined(const Value& v);

// Arithmetic (the template operators). Undefined operands raise UndefinedError.
Value py_add(const Value& a, const Value& b);
Value py_sub(const Value& a, const Value& b);
Value py_mul(const Value& a, const Value& b);
Value py_truediv(const Value& a, const Value& b);
Value py_floordiv(const Value& a, const Value& b);
Value py_mod(const Value& a, const Value& b);
Value py_pow(const Value& a, const Value& b);
Value py_neg(const Value& a);
Value py_pos(const Value& a);
// `a in b`.
bool py_contains(const Value& container, const Value& item);

// Python len(); throws TypeErr "object of type 'int' has no len()".
int64_t py_len(const Value& v);
// Iterates like Python iter(): strings give characters, dicts their keys. Throws TypeErr
// "'int' object is not iterable" otherwise. Undefined iterates as empty.
std::vector<Value> py_iter(const Value& v, Runtime* rt = nullptr);
bool py_iterable(const Value& v);

// int(v) / float(v) conversions as Python does them; throw TypeErr / ValueErr.
int64_t py_int(const Value& v);
double py_float(const Value& v);

// Checked 64-bit integer arithmetic (Python ints are unbounded; we fail cleanly instead).
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_sub(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);

}  // namespace lava::tmpl
