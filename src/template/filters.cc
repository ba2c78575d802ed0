#include "template/filters.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include "pytext/case.h"
#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/args.h"
#include "template/attribute_path.h"
#include "template/errors.h"
#include "template/markup.h"
#include "template/methods.h"
#include "template/objects.h"
#include "template/pprint.h"
#include "template/pyformat.h"
#include "template/pyops.h"
#include "template/runtime.h"
#include "template/textwrap.h"
#include "template/tojson.h"
#include "template/undefined.h"
#include "template/urlize.h"

namespace lava::tmpl {

namespace {

Value generator(std::vector<Value> items) {
  return Value::list(std::move(items), SeqTag::Generator);
}

bool less(const Value& a, const Value& b) {
  return py_cmp(a, b, "<") == -1;
}

int64_t to_int(const Value& v, const char* what) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_undefined()) fail_undefined(v);
  throw TypeErr(std::string("'") + py_type_name(v) +
                "' object cannot be interpreted as an integer" + (what ? "" : ""));
}

// ---------------------------------------------------------------- filters

Value f_abs(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("abs", args, {});
  if (in.is_int() || in.is_bool()) {
    int64_t v = in.as_int();
    return Value(v < 0 ? checked_sub(0, v) : v);
  }
  if (in.is_float()) return Value(std::fabs(in.as_float()));
  throw TypeErr("bad operand type for abs(): '" + py_type_name(in) + "'");
}

Value f_attr(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_attr", args, {"name"}, 1);
  Value name = a.get(0);
  if (in.is_undefined()) fail_undefined(in);
  if (!name.is_string()) throw TypeErr("attribute name must be string");
  const std::string& n = name.str();
  if (in.is_object()) {
    if (auto v = in.obj().get_attr(n, rt)) return *v;
    return undefined_attr(in, n);
  }
  if (has_method(in, n)) return rt.getattr(in, n);
  if (auto v = builtin_attribute(in, n)) return *v;
  return undefined_attr(in, n);
}

Value f_batch(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_batch", args, {"linecount", "fill_with"}, 1);
  int64_t n = to_int(a.get(0), "linecount");
  Value fill = a.get(1);
  std::vector<Value> out, tmp;
  for (auto& item : py_iter(in, &rt)) {
    if (static_cast<int64_t>(tmp.size()) == n) {
      out.push_back(Value::list(std::move(tmp)));
      tmp.clear();
    }
    tmp.push_back(std::move(item));
  }
  if (!tmp.empty()) {
    if (!fill.is_none())
      while (static_cast<int64_t>(tmp.size()) < n) tmp.push_back(fill);
    out.push_back(Value::list(std::move(tmp)));
  }
  return generator(std::move(out));
}

Value f_capitalize(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_capitalize", args, {});
  Value s = soft_str(in);
  return Value(pytext::capitalize(s.str()), s.safe());
}

Value f_center(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_center", args, {"width"});
  Value s = soft_str(in);
  CallArgs c;
  c.pos.push_back(a.get(0, Value(int64_t{80})));
  return call_method(rt, s, "center", c);
}

Value f_length(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("len", args, {});
  return Value(py_len(in));
}

Value f_default(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_default", args, {"default_value", "boolean"});
  Value dflt = a.get(0, Value(""));
  bool boolean = py_truthy(a.get(1, Value(false)));
  if (in.is_undefined() || (boolean && !py_truthy(in))) return dflt;
  return in;
}

Value f_dictsort(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_dictsort", args, {"case_sensitive", "by", "reverse"});
  bool cs = py_truthy(a.get(0, Value(false)));
  Value by = a.get(1, Value("key"));
  bool reverse = py_truthy(a.get(2, Value(false)));
  size_t pos;
  if (by.is_string() && by.str() == "key")
    pos = 0;
  else if (by.is_string() && by.str() == "value")
    pos = 1;
  else
    throw RuntimeErr("You can only sort by either \"key\" or \"value\"");
  if (in.is_undefined()) fail_undefined(in);
  if (!in.is_dict()) throw EvalError("'" + py_type_name(in) + "' object has no attribute 'items'");
  std::vector<Value> items;
  std::vector<Value> keys;
  for (const auto& [k, v] : in.dict_ref().entries) {
    items.push_back(Value::tuple({k, v}));
    keys.push_back(cs ? (pos == 0 ? k : v) : ignore_case(pos == 0 ? k : v));
  }
  std::vector<size_t> idx(items.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
    return reverse ? less(keys[y], keys[x]) : less(keys[x], keys[y]);
  });
  std::vector<Value> out;
  for (size_t i : idx) out.push_back(items[i]);
  return Value::list(std::move(out));
}

Value f_escape(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("escape", args, {});
  return escape_value(in);
}

Value f_filesizeformat(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_filesizeformat", args, {"binary"});
  bool binary = py_truthy(a.get(0, Value(false)));
  double bytes = py_float(in);
  double base = binary ? 1024 : 1000;
  static const char* dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return Value("1 Byte");
  if (bytes < base) return Value(std::to_string(py_int(Value(bytes))) + " Bytes");
  double unit = base;
  const char* prefix = "";
  for (int i = 0; i < 8; ++i) {
    unit = std::pow(base, i + 2);
    prefix = binary ? bin[i] : dec[i];
    if (bytes < unit) break;
  }
  return Value(format_spec(Value(base * bytes / unit), ".1f") + " " + prefix);
}

Value f_first(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_first", args, {});
  if (in.is_seq() && !in.items().empty()) return in.items()[0];
  std::vector<Value> items = py_iter(in, &rt);
  if (items.empty()) return undefined_hint("No first item, sequence was empty.");
  return items[0];
}

Value f_last(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_last", args, {});
  if (in.is_seq() && in.seq().tag == SeqTag::Generator)
    throw TypeErr("'generator' object is not reversible");
  std::vector<Value> items = py_iter(in, &rt);
  if (items.empty()) return undefined_hint("No last item, sequence was empty.");
  return items.back();
}

Value f_float(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_float", args, {"default"});
  try {
    return Value(py_float(in));
  } catch (const TypeErr&) {
  } catch (const ValueErr&) {
  }
  return a.get(0, Value(0.0));
}

Value f_forceescape(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_forceescape", args, {});
  return Value::markup(escape_html(py_str(in)));
}

Value f_format(Runtime&, const Value& in, CallArgs& args) {
  if (!args.pos.empty() && !args.kw.empty())
    throw RuntimeErr("can't handle positional and keyword arguments at the same time");
  Value fmt = soft_str(in);
  Value fargs;
  if (!args.kw.empty()) {
    fargs = Value::dict();
    for (const auto& [k, v] : args.kw) fargs.dict_ref().set(Value(k), v);
  } else {
    fargs = Value::tuple(args.pos);
  }
  return py_mod(fmt, fargs);
}

Value f_groupby(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_groupby", args, {"attribute", "default", "case_sensitive"}, 1);
  Parts parts = attribute_parts(a.get(0));
  Value dflt = a.get(1);
  bool cs = py_truthy(a.get(2, Value(false)));
  std::vector<Value> items = py_iter(in, &rt);
  std::vector<Value> keys;
  for (const auto& it : items) {
    Value k = get_attr_path(rt, it, parts, &dflt);
    keys.push_back(cs ? k : ignore_case(k));
  }
  std::vector<size_t> idx(items.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t x, size_t y) { return less(keys[x], keys[y]); });
  std::vector<Value> out;
  size_t i = 0;
  while (i < idx.size()) {
    size_t j = i;
    std::vector<Value> group;
    while (j < idx.size() && py_eq(keys[idx[j]], keys[idx[i]])) group.push_back(items[idx[j++]]);
    Value grouper = cs ? keys[idx[i]] : get_attr_path(rt, group[0], parts, &dflt);
    Value t = Value::tuple({grouper, Value::list(std::move(group))});
    t.seq().tag = SeqTag::Group;
    out.push_back(t);
    i = j;
  }
  return Value::list(std::move(out));
}

Value f_indent(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_indent", args, {"width", "first", "blank"});
  Value width = a.get(0, Value(int64_t{4}));
  bool first = py_truthy(a.get(1, Value(false)));
  bool blank = py_truthy(a.get(2, Value(false)));
  std::string indention;
  if (width.is_string()) {
    indention = width.str();
  } else {
    int64_t w = to_int(width, "width");
    if (w > 0) indention.assign(static_cast<size_t>(w), ' ');
  }
  if (in.is_undefined()) fail_undefined(in);
  if (!in.is_string())
    throw TypeErr("unsupported operand type(s) for +=: '" + py_type_name(in) + "' and 'str'");
  bool safe = in.safe();
  if (safe) indention = escape_html(indention);
  Value s(in.str() + "\n", safe);
  CallArgs none;
  Value lines_v = call_method(rt, s, "splitlines", none);
  const auto& lines = lines_v.items();
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) rv += "\n" + indention;
      rv += lines[i].str();
    }
  } else {
    if (!lines.empty()) rv = lines[0].str();
    for (size_t i = 1; i < lines.size(); ++i) {
      rv += "\n";
      if (!lines[i].str().empty()) rv += indention;
      rv += lines[i].str();
    }
  }
  if (first) rv = indention + rv;
  return Value(std::move(rv), safe);
}

Value f_int(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_int", args, {"default", "base"});
  Value dflt = a.get(0, Value(int64_t{0}));
  int64_t base = a.has(1) ? to_int(a.get(1), "base") : 10;
  try {
    if (in.is_string()) {
      if (base != 0 && (base < 2 || base > 36))
        throw ValueErr("int() base must be >= 2 and <= 36, or 0");
      auto r = parse_py_int(in.str(), static_cast<int>(base));
      if (r) return Value(*r);
      throw ValueErr("invalid literal");
    }
    return Value(py_int(in));
  } catch (const TypeErr&) {
  } catch (const ValueErr&) {
  }
  try {
    return Value(py_int(Value(py_float(in))));
  } catch (const TypeErr&) {
  } catch (const ValueErr&) {
  }
  return dflt;
}

Value f_items(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_items", args, {});
  if (in.is_undefined()) return generator({});
  if (!in.is_dict()) throw TypeErr("Can only get item pairs from a mapping.");
  std::vector<Value> out;
  for (const auto& [k, v] : in.dict_ref().entries) out.push_back(Value::tuple({k, v}));
  return generator(std::move(out));
}

Value f_join(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_join", args, {"d", "attribute"});
  Value d = a.get(0, Value(""));
  std::vector<Value> items = py_iter(in, &rt);
  if (a.has(1) && !a.get(1).is_none()) {
    Parts parts = attribute_parts(a.get(1));
    for (auto& it : items) it = get_attr_path(rt, it, parts);
  }
  if (!rt.autoescape) {
    std::string sep = py_str(d), out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += sep;
      py_str_to(out, items[i]);
    }
    return Value(std::move(out));
  }
  bool any_markup = d.is_string() && d.safe();
  for (const auto& it : items)
    if (it.is_string() && it.safe()) any_markup = true;
  if (!any_markup) {
    std::string sep = py_str(d), out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += sep;
      py_str_to(out, items[i]);
    }
    return Value(std::move(out));
  }
  std::string sep = escape_value(d).str(), out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += escape_value(items[i]).str();
  }
  return Value::markup(std::move(out));
}

Value f_list(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("list", args, {});
  return Value::list(py_iter(in, &rt));
}

Value f_lower(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_lower", args, {});
  Value s = soft_str(in);
  return Value(pytext::lower(s.str()), s.safe());
}

Value f_upper(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_upper", args, {});
  Value s = soft_str(in);
  return Value(pytext::upper(s.str()), s.safe());
}

Value call_filter_by_name(Runtime& rt, const Value& name, const Value& item, std::vector<Value> pos,
                          std::vector<std::pair<std::string, Value>> kw) {
  if (!name.is_string()) throw RuntimeErr("No filter named " + py_repr(name) + ".");
  FilterFn f = find_filter(name.str());
  if (!f) throw RuntimeErr("No filter named " + repr_string(name.str()) + ".");
  CallArgs a;
  a.pos = std::move(pos);
  a.kw = std::move(kw);
  return f(rt, item, a);
}

Value f_map(Runtime& rt, const Value& in, CallArgs& args) {
  if (!py_truthy(in)) return generator({});
  std::vector<Value> items = py_iter(in, &rt);
  std::vector<Value> out;
  bool by_attr = args.pos.empty();
  for (const auto& [k, v] : args.kw)
    if (k == "attribute") by_attr = by_attr && true;
  bool has_attribute = false;
  for (const auto& [k, v] : args.kw)
    if (k == "attribute") has_attribute = true;
  if (args.pos.empty() && has_attribute) {
    Value attribute, dflt;
    for (const auto& [k, v] : args.kw) {
      if (k == "attribute")
        attribute = v;
      else if (k == "default")
        dflt = v;
      else
        throw EvalError("Unexpected keyword argument " + repr_string(k));
    }
    Parts parts = attribute_parts(attribute);
    for (const auto& it : items) out.push_back(get_attr_path(rt, it, parts, &dflt));
    return generator(std::move(out));
  }
  if (args.pos.empty()) throw EvalError("map requires a filter argument");
  Value name = args.pos[0];
  std::vector<Value> rest(args.pos.begin() + 1, args.pos.end());
  for (const auto& it : items) out.push_back(call_filter_by_name(rt, name, it, rest, args.kw));
  return generator(std::move(out));
}

Value min_max(Runtime& rt, const Value& in, CallArgs& args, bool want_max, const char* fname) {
  ArgBinder a(fname, args, {"case_sensitive", "attribute"});
  bool cs = py_truthy(a.get(0, Value(false)));
  Parts parts = attribute_parts(a.get(1));
  std::vector<Value> items = py_iter(in, &rt);
  if (items.empty()) return undefined_hint("No aggregated item, sequence was empty.");
  auto key = [&](const Value& v) {
    Value k = get_attr_path(rt, v, parts);
    return cs ? k : ignore_case(k);
  };
  size_t best = 0;
  Value best_key = key(items[0]);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key(items[i]);
    if (want_max ? less(best_key, k) : less(k, best_key)) {
      best = i;
      best_key = k;
    }
  }
  return items[best];
}

Value f_min(Runtime& rt, const Value& in, CallArgs& args) {
  return min_max(rt, in, args, false, "do_min");
}
Value f_max(Runtime& rt, const Value& in, CallArgs& args) {
  return min_max(rt, in, args, true, "do_max");
}

Value f_pprint(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_pprint", args, {});
  return Value(pformat(in));
}

Value f_random(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_random", args, {});
  std::vector<Value> items = py_iter(in, &rt);
  if (items.empty()) return undefined_hint("No random item, sequence was empty.");
  static std::mt19937_64 rng{std::random_device{}()};
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)];
}

bool call_test_by_name(Runtime& rt, const Value& name, const Value& item, std::vector<Value> pos,
                       std::vector<std::pair<std::string, Value>> kw) {
  if (!name.is_string()) throw RuntimeErr("No test named " + py_repr(name) + ".");
  TestFn t = find_test(name.str());
  if (!t) throw RuntimeErr("No test named " + repr_string(name.str()) + ".");
  CallArgs a;
  a.pos = std::move(pos);
  a.kw = std::move(kw);
  return t(rt, item, a);
}

Value select_or_reject(Runtime& rt, const Value& in, CallArgs& args, bool select,
                       bool lookup_attr) {
  if (!py_truthy(in)) return generator({});
  std::vector<Value> items = py_iter(in, &rt);
  size_t off = 0;
  Parts parts;
  if (lookup_attr) {
    if (args.pos.empty()) throw EvalError("Missing parameter for attribute name");
    parts = attribute_parts(args.pos[0]);
    off = 1;
  }
  bool has_test = args.pos.size() > off;
  Value name = has_test ? args.pos[off] : Value();
  std::vector<Value> rest;
  if (has_test)
    rest.assign(args.pos.begin() + static_cast<std::ptrdiff_t>(off) + 1, args.pos.end());
  std::vector<Value> out;
  for (const auto& it : items) {
    Value x = lookup_attr ? get_attr_path(rt, it, parts) : it;
    bool r = has_test ? call_test_by_name(rt, name, x, rest, args.kw) : py_truthy(x);
    if (r == select) out.push_back(it);
  }
  return generator(std::move(out));
}

Value f_select(Runtime& rt, const Value& in, CallArgs& args) {
  return select_or_reject(rt, in, args, true, false);
}
Value f_reject(Runtime& rt, const Value& in, CallArgs& args) {
  return select_or_reject(rt, in, args, false, false);
}
Value f_selectattr(Runtime& rt, const Value& in, CallArgs& args) {
  return select_or_reject(rt, in, args, true, true);
}
Value f_rejectattr(Runtime& rt, const Value& in, CallArgs& args) {
  return select_or_reject(rt, in, args, false, true);
}

Value f_replace(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_replace", args, {"old", "new", "count"}, 2);
  Value old = a.get(0), repl = a.get(1);
  CallArgs c;
  if (!rt.autoescape) {
    c.pos = {Value(py_str(old)), Value(py_str(repl))};
    if (!a.get(2).is_none()) c.pos.push_back(a.get(2));
    return call_method(rt, Value(py_str(in)), "replace", c);
  }
  Value s;
  bool old_html = old.is_string() && old.safe();
  bool new_html = repl.is_string() && repl.safe();
  bool s_html = in.is_string() && in.safe();
  if (old_html || (new_html && !s_html))
    s = escape_value(in);
  else
    s = soft_str(in);
  c.pos = {soft_str(old), soft_str(repl)};
  if (!a.get(2).is_none()) c.pos.push_back(a.get(2));
  return call_method(rt, s, "replace", c);
}

Value f_reverse(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_reverse", args, {});
  if (in.is_string()) {
    std::u32string u = pytext::decode(in.str());
    std::reverse(u.begin(), u.end());
    return Value(pytext::encode(u), in.safe());
  }
  if (in.is_seq() && in.seq().tag == SeqTag::Generator) {
    std::vector<Value> items = in.items();
    std::reverse(items.begin(), items.end());
    return Value::list(std::move(items));
  }
  std::vector<Value> items;
  try {
    items = py_iter(in, &rt);
  } catch (const TypeErr&) {
    throw EvalError("argument must be iterable");
  }
  std::reverse(items.begin(), items.end());
  return generator(std::move(items));
}

double round_half_even_digits(double v, int64_t precision) {
  if (!std::isfinite(v)) return v;
  if (precision > 300) return v;
  if (precision >= 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), v);
    return std::strtod(buf, nullptr);
  }
  double scale = std::pow(10.0, static_cast<double>(-precision));
  double q = v / scale;
  double r = std::nearbyint(q);  // banker's rounding
  return r * scale;
}

Value f_round(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_round", args, {"value_precision", "method"});
  int64_t precision = a.has(0) ? to_int(a.get(0), "precision") : 0;
  Value method = a.get(1, Value("common"));
  std::string m = method.is_string() ? method.str() : "";
  if (m != "common" && m != "ceil" && m != "floor")
    throw EvalError("method must be common, ceil or floor");
  if (in.is_undefined()) throw TypeErr("type Undefined doesn't define __round__ method");
  if (!in.is_number())
    throw TypeErr("type " + py_type_name(in) + " doesn't define __round__ method");
  if (m == "common") {
    if (in.is_int() || in.is_bool()) {
      int64_t v = in.as_int();
      if (precision >= 0) return Value(v);
      if (precision < -18) return Value(int64_t{0});
      int64_t scale = 1;
      for (int64_t i = 0; i < -precision; ++i) scale *= 10;
      int64_t q = v / scale, r = v % scale;
      if (r < 0) {
        r += scale;
        --q;
      }
      if (2 * r > scale || (2 * r == scale && (q % 2 != 0))) ++q;
      return Value(checked_mul(q, scale));
    }
    return Value(round_half_even_digits(in.as_float(), precision));
  }
  double scale = std::pow(10.0, static_cast<double>(precision));
  double x = in.as_float() * scale;
  double r = m == "ceil" ? std::ceil(x) : std::floor(x);
  if ((in.is_int() || in.is_bool()) && precision >= 0) {
    // math.ceil(int * 10**p) is an int; the division makes it a float.
    return Value(static_cast<double>(static_cast<int64_t>(r)) / scale);
  }
  return Value(r / scale);
}

Value f_safe(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_mark_safe", args, {});
  if (in.is_string()) return in.with_safe(true);
  return Value::markup(py_str(in));
}

Value f_slice(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_slice", args, {"slices", "fill_with"}, 1);
  int64_t slices = to_int(a.get(0), "slices");
  Value fill = a.get(1);
  std::vector<Value> seq = py_iter(in, &rt);
  int64_t length = static_cast<int64_t>(seq.size());
  if (slices == 0) throw ZeroDivisionErr("integer division or modulo by zero");
  int64_t per = length / slices, extra = length % slices;
  if (length % slices != 0 && ((length < 0) != (slices < 0))) {
    per = per - 1;
    extra = length - per * slices;
  }
  int64_t offset = 0;
  std::vector<Value> out;
  for (int64_t n = 0; n < slices; ++n) {
    int64_t start = offset + n * per;
    if (n < extra) ++offset;
    int64_t end = offset + (n + 1) * per;
    std::vector<Value> tmp;
    for (int64_t i = std::max<int64_t>(start, 0); i < std::min(end, length); ++i)
      tmp.push_back(seq[static_cast<size_t>(i)]);
    if (!fill.is_none() && n >= extra) tmp.push_back(fill);
    out.push_back(Value::list(std::move(tmp)));
  }
  return generator(std::move(out));
}

Value f_sort(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_sort", args, {"reverse", "case_sensitive", "attribute"});
  bool reverse = py_truthy(a.get(0, Value(false)));
  bool cs = py_truthy(a.get(1, Value(false)));
  Value attribute = a.get(2);
  std::vector<Value> items = py_iter(in, &rt);
  std::vector<Value> keys;
  keys.reserve(items.size());
  for (const auto& it : items) keys.push_back(get_multi_attr(rt, it, attribute, !cs));
  std::vector<size_t> idx(items.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
    return reverse ? less(keys[y], keys[x]) : less(keys[x], keys[y]);
  });
  std::vector<Value> out;
  out.reserve(items.size());
  for (size_t i : idx) out.push_back(items[i]);
  return Value::list(std::move(out));
}

Value f_string(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("soft_str", args, {});
  return soft_str(in);
}

Value f_striptags(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_striptags", args, {});
  return Value(markup_striptags(py_str(in)));
}

Value f_sum(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_sum", args, {"attribute", "start"});
  Value total = a.get(1, Value(int64_t{0}));
  std::vector<Value> items = py_iter(in, &rt);
  Parts parts;
  bool by_attr = a.has(0) && !a.get(0).is_none();
  if (by_attr) parts = attribute_parts(a.get(0));
  for (const auto& it : items) {
    if (total.is_string()) throw TypeErr("sum() can't sum strings [use ''.join(seq) instead]");
    total = py_add(total, by_attr ? get_attr_path(rt, it, parts) : it);
  }
  return total;
}

Value f_title(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_title", args, {});
  std::u32string u = pytext::decode(py_str(in));
  // Split on runs of [-\s({\[<]+ keeping the separators; capitalise each piece.
  auto is_sep = [](char32_t c) {
    return c == '-' || pytext::is_space(c) || c == '(' || c == '{' || c == '[' || c == '<';
  };
  std::u32string out;
  size_t i = 0;
  while (i < u.size()) {
    size_t j = i;
    bool sep = is_sep(u[i]);
    while (j < u.size() && is_sep(u[j]) == sep) ++j;
    std::u32string piece = u.substr(i, j - i);
    piece[0] = pytext::to_upper(piece[0]);
    for (size_t k = 1; k < piece.size(); ++k) piece[k] = pytext::to_lower(piece[k]);
    out += piece;
    i = j;
  }
  return Value(pytext::encode(out));
}

Value f_trim(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_trim", args, {"chars"});
  CallArgs c;
  c.pos.push_back(a.get(0));
  return call_method(rt, soft_str(in), "strip", c);
}

Value f_truncate(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_truncate", args, {"length", "killwords", "end", "leeway"});
  int64_t length = a.has(0) ? to_int(a.get(0), "length") : 255;
  bool killwords = py_truthy(a.get(1, Value(false)));
  Value end = a.get(2, Value("..."));
  int64_t leeway = a.get_nn(3, Value(int64_t{5})).as_int();
  int64_t end_len = py_len(end);
  if (length < end_len)
    throw EvalError("expected length >= " + std::to_string(end_len) + ", got " +
                    std::to_string(length));
  if (leeway < 0) throw EvalError("expected leeway >= 0, got " + std::to_string(leeway));
  if (py_len(in) <= length + leeway) return in;
  if (!in.is_string()) throw TypeErr("'" + py_type_name(in) + "' object is not subscriptable");
  std::u32string u = pytext::decode(in.str());
  size_t cut = static_cast<size_t>(std::max<int64_t>(0, length - end_len));
  std::string head = pytext::encode(u.substr(0, std::min(cut, u.size())));
  if (!killwords) {
    size_t sp = head.rfind(' ');
    if (sp != std::string::npos) head = head.substr(0, sp);
  }
  Value h(head, in.safe());
  return py_add(h, end.is_string() ? end : Value(py_str(end)));
  (void)rt;
}

Value f_unique(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_unique", args, {"case_sensitive", "attribute"});
  bool cs = py_truthy(a.get(0, Value(false)));
  Parts parts = attribute_parts(a.get(1));
  std::vector<Value> items = py_iter(in, &rt);
  std::unordered_set<Value, ValueHash, ValueKeyEq> seen;
  std::vector<Value> out;
  for (const auto& it : items) {
    Value k = get_attr_path(rt, it, parts);
    if (!cs) k = ignore_case(k);
    if (seen.insert(k).second) out.push_back(it);
  }
  return generator(std::move(out));
}

void url_quote_to(std::string& out, const std::string& s, bool for_qs) {
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~' || (!for_qs && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else if (for_qs && c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
}

Value f_urlencode(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_urlencode", args, {});
  std::string out;
  if (in.is_string() || !py_iterable(in)) {
    url_quote_to(out, py_str(in), false);
    return Value(std::move(out));
  }
  std::vector<Value> pairs;
  if (in.is_dict()) {
    for (const auto& [k, v] : in.dict_ref().entries) pairs.push_back(Value::tuple({k, v}));
  } else {
    pairs = py_iter(in, &rt);
  }
  bool first = true;
  for (const auto& p : pairs) {
    std::vector<Value> kv = py_iter(p, &rt);
    if (kv.size() != 2) throw ValueErr("too many values to unpack (expected 2)");
    if (!first) out.push_back('&');
    first = false;
    url_quote_to(out, py_str(kv[0]), true);
    out.push_back('=');
    url_quote_to(out, py_str(kv[1]), true);
  }
  return Value(std::move(out));
}

Value f_urlize(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_urlize", args, {"trim_url_limit", "nofollow", "target", "rel", "extra_schemes"});
  std::set<std::string> rel_parts;
  Value relv = a.get(3);
  if (relv.is_string()) {
    std::string r = relv.str();
    size_t i = 0;
    while (i < r.size()) {
      while (i < r.size() && std::isspace(static_cast<unsigned char>(r[i]))) ++i;
      size_t j = i;
      while (j < r.size() && !std::isspace(static_cast<unsigned char>(r[j]))) ++j;
      if (j > i) rel_parts.insert(r.substr(i, j - i));
      i = j;
    }
  }
  if (py_truthy(a.get(1, Value(false)))) rel_parts.insert("nofollow");
  rel_parts.insert("noopener");
  std::string rel;
  for (const auto& p : rel_parts) rel += (rel.empty() ? "" : " ") + p;
  std::string target = a.get(2).is_none() ? "" : py_str(a.get(2));
  std::vector<std::string> schemes;
  if (!a.get(4).is_none()) {
    for (const auto& s : py_iter(a.get(4), &rt)) {
      std::string str = py_str(s);
      if (!is_uri_scheme(str))
        throw RuntimeErr(repr_string(str) + " is not a valid URI scheme prefix.");
      schemes.push_back(str);
    }
  }
  std::string r = urlize(py_str(in), a.get(0), rel, target, schemes);
  return Value(std::move(r), rt.autoescape);
}

Value f_wordcount(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_wordcount", args, {});
  std::string s = py_str(in);
  int64_t n = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = pytext::next(s, i);
    bool w = c == '_' || pytext::is_alnum(c);
    if (w && !in_word) ++n;
    in_word = w;
  }
  return Value(n);
}

Value f_wordwrap(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_wordwrap", args, {"width", "break_long_words", "wrapstring", "break_on_hyphens"});
  int64_t width = a.has(0) ? to_int(a.get(0), "width") : 79;
  bool break_long = py_truthy(a.get(1, Value(true)));
  std::string wrap =
      a.get_nn(2, Value("\n")).is_string() ? a.get_nn(2, Value("\n")).str() : py_str(a.get(2));
  bool hyphens = py_truthy(a.get(3, Value(true)));
  if (in.is_undefined()) fail_undefined(in);
  if (!in.is_string())
    throw EvalError("'" + py_type_name(in) + "' object has no attribute 'splitlines'");
  CallArgs none;
  Value lines = call_method(rt, in, "splitlines", none);
  std::string out;
  bool first_para = true;
  for (const auto& line : lines.items()) {
    if (!first_para) out += wrap;
    first_para = false;
    auto wrapped = text_wrap(pytext::decode(line.str()), width, break_long, hyphens);
    for (size_t i = 0; i < wrapped.size(); ++i) {
      if (i) out += wrap;
      out += pytext::encode(wrapped[i]);
    }
  }
  return Value(std::move(out));
}

Value f_xmlattr(Runtime& rt, const Value& in, CallArgs& args) {
  ArgBinder a("do_xmlattr", args, {"autospace"});
  bool autospace = py_truthy(a.get(0, Value(true)));
  if (in.is_undefined()) fail_undefined(in);
  if (!in.is_dict()) throw EvalError("'" + py_type_name(in) + "' object has no attribute 'items'");
  std::string rv;
  for (const auto& [k, v] : in.dict_ref().entries) {
    if (v.is_none() || v.is_undefined()) continue;
    std::string key = py_str(k);
    for (char c : key)
      if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '>' || c == '=')
        throw ValueErr("Invalid character in attribute name: " + repr_string(key));
    if (!rv.empty()) rv += " ";
    rv += escape_value(k).str() + "=\"" + escape_value(v).str() + "\"";
  }
  if (autospace && !rv.empty()) rv = " " + rv;
  return Value(std::move(rv), rt.autoescape);
}

Value f_tojson(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_tojson", args, {"indent"});
  Value indent = a.get(0);
  int n = -1;
  if (indent.is_int())
    n = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(indent.as_int(), 1000)));
  return Value::markup(tojson(in, n));
}

const std::map<std::string_view, FilterFn>& filter_table() {
  static const std::map<std::string_view, FilterFn> t = {
      {"abs", f_abs},
      {"attr", f_attr},
      {"batch", f_batch},
      {"capitalize", f_capitalize},
      {"center", f_center},
      {"count", f_length},
      {"d", f_default},
      {"default", f_default},
      {"dictsort", f_dictsort},
      {"e", f_escape},
      {"escape", f_escape},
      {"filesizeformat", f_filesizeformat},
      {"first", f_first},
      {"float", f_float},
      {"forceescape", f_forceescape},
      {"format", f_format},
      {"groupby", f_groupby},
      {"indent", f_indent},
      {"int", f_int},
      {"join", f_join},
      {"last", f_last},
      {"length", f_length},
      {"list", f_list},
      {"lower", f_lower},
      {"items", f_items},
      {"map", f_map},
      {"min", f_min},
      {"max", f_max},
      {"pprint", f_pprint},
      {"random", f_random},
      {"reject", f_reject},
      {"rejectattr", f_rejectattr},
      {"replace", f_replace},
      {"reverse", f_reverse},
      {"round", f_round},
      {"safe", f_safe},
      {"select", f_select},
      {"selectattr", f_selectattr},
      {"slice", f_slice},
      {"sort", f_sort},
      {"string", f_string},
      {"striptags", f_striptags},
      {"sum", f_sum},
      {"title", f_title},
      {"trim", f_trim},
      {"truncate", f_truncate},
      {"unique", f_unique},
      {"upper", f_upper},
      {"urlencode", f_urlencode},
      {"urlize", f_urlize},
      {"wordcount", f_wordcount},
      {"wordwrap", f_wordwrap},
      {"xmlattr", f_xmlattr},
      {"tojson", f_tojson},
  };
  return t;
}

}  // namespace

FilterFn find_filter(std::string_view name) {
  const auto& t = filter_table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : it->second;
}

}  // namespace lava::tmpl
