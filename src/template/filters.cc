#include "template/filters.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include "template/args.h"
#include "template/errors.h"
#include "template/methods.h"
#include "template/objects.h"
#include "template/pyformat.h"
#include "template/pyops.h"
#include "template/runtime.h"
#include "template/undefined.h"
#include "template/unicode.h"

namespace lava::tmpl {

namespace {

using Parts = std::vector<Value>;

// jinja2.filters._prepare_attribute_parts: "a.0.b" -> ['a', 0, 'b'].
Parts attribute_parts(const Value& attr) {
  Parts parts;
  if (attr.is_none()) return parts;
  if (attr.is_string()) {
    const std::string& s = attr.str();
    size_t start = 0;
    while (true) {
      size_t dot = s.find('.', start);
      std::string piece =
          s.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      bool digits = !piece.empty() && std::all_of(piece.begin(), piece.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      if (digits)
        parts.emplace_back(static_cast<int64_t>(std::stoll(piece)));
      else
        parts.emplace_back(piece);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return parts;
  }
  parts.push_back(attr);
  return parts;
}

Value ignore_case(const Value& v) {
  if (v.is_string()) return Value(uni::lower(v.str()), v.safe());
  return v;
}

// make_attrgetter
Value get_attr_path(Runtime& rt, Value item, const Parts& parts, const Value* dflt = nullptr) {
  for (const auto& p : parts) {
    item = rt.getitem(item, p);
    if (dflt && !dflt->is_none() && item.is_undefined()) item = *dflt;
  }
  return item;
}

// make_multi_attrgetter: a list of the comma separated attributes.
Value get_multi_attr(Runtime& rt, const Value& item, const Value& attribute, bool lower) {
  std::vector<Parts> all;
  if (attribute.is_string()) {
    const std::string& s = attribute.str();
    size_t start = 0;
    while (true) {
      size_t comma = s.find(',', start);
      all.push_back(attribute_parts(
          Value(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start))));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    all.push_back(attribute_parts(attribute));
  }
  std::vector<Value> out;
  for (const auto& parts : all) {
    Value v = get_attr_path(rt, item, parts);
    out.push_back(lower ? ignore_case(v) : v);
  }
  return Value::list(std::move(out));
}

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
  return Value(uni::capitalize(s.str()), s.safe());
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
    throw EvalError("You can only sort by either \"key\" or \"value\"");
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
    throw EvalError("can't handle positional and keyword arguments at the same time");
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
  return Value(uni::lower(s.str()), s.safe());
}

Value f_upper(Runtime&, const Value& in, CallArgs& args) {
  ArgBinder a("do_upper", args, {});
  Value s = soft_str(in);
  return Value(uni::upper(s.str()), s.safe());
}

Value call_filter_by_name(Runtime& rt, const Value& name, const Value& item, std::vector<Value> pos,
                          std::vector<std::pair<std::string, Value>> kw) {
  if (!name.is_string()) throw EvalError("No filter named " + py_repr(name) + ".");
  FilterFn f = find_filter(name.str());
  if (!f) throw EvalError("No filter named " + repr_string(name.str()) + ".");
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
  if (!name.is_string()) throw EvalError("No test named " + py_repr(name) + ".");
  TestFn t = find_test(name.str());
  if (!t) throw EvalError("No test named " + repr_string(name.str()) + ".");
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
    std::u32string u = uni::decode(in.str());
    std::reverse(u.begin(), u.end());
    return Value(uni::encode(u), in.safe());
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
  if (slices == 0) throw EvalError("integer division or modulo by zero");
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
  std::u32string u = uni::decode(py_str(in));
  // Split on runs of [-\s({\[<]+ keeping the separators; capitalise each piece.
  auto is_sep = [](char32_t c) {
    return c == '-' || uni::is_space(c) || c == '(' || c == '{' || c == '[' || c == '<';
  };
  std::u32string out;
  size_t i = 0;
  while (i < u.size()) {
    size_t j = i;
    bool sep = is_sep(u[i]);
    while (j < u.size() && is_sep(u[j]) == sep) ++j;
    std::u32string piece = u.substr(i, j - i);
    piece[0] = uni::to_upper(piece[0]);
    for (size_t k = 1; k < piece.size(); ++k) piece[k] = uni::to_lower(piece[k]);
    out += piece;
    i = j;
  }
  return Value(uni::encode(out));
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
  std::u32string u = uni::decode(in.str());
  size_t cut = static_cast<size_t>(std::max<int64_t>(0, length - end_len));
  std::string head = uni::encode(u.substr(0, std::min(cut, u.size())));
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

bool url_word_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}
bool starts_with_ci(const std::string& s, size_t pos, const char* prefix) {
  size_t n = std::strlen(prefix);
  if (s.size() - std::min(pos, s.size()) < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != prefix[i]) return false;
  return true;
}

// What may follow the host in jinja2.utils._http_re: (?::\d{1,5})?(?:[/?#]\S*)?$
bool url_tail_ok(const std::string& s, size_t pos) {
  if (pos < s.size() && s[pos] == ':') {
    size_t d = pos + 1;
    while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d]))) ++d;
    if (d - pos - 1 < 1 || d - pos - 1 > 5) return false;
    pos = d;
  }
  if (pos == s.size()) return true;
  if (s[pos] != '/' && s[pos] != '?' && s[pos] != '#') return false;
  for (size_t i = pos; i < s.size(); ++i)
    if (std::isspace(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Splits host labels at dots; false when a label is empty.
bool host_labels(const std::string& host, std::vector<std::string>& labels) {
  labels.clear();
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string label =
        host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty()) return false;
    labels.push_back(label);
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

bool all_of_chars(const std::string& s, bool (*pred)(unsigned char)) {
  for (unsigned char c : s)
    if (!pred(c)) return false;
  return true;
}

// jinja2.utils._http_re, matched against a whole word.
bool is_http_url(const std::string& s) {
  auto host_char = [](unsigned char c) {
    return url_word_char(c) || c == '%' || c == '-' || c == '.';
  };
  auto label_char = [](unsigned char c) { return url_word_char(c) || c == '%' || c == '-'; };
  size_t scheme = 0;
  if (starts_with_ci(s, 0, "https://"))
    scheme = 8;
  else if (starts_with_ci(s, 0, "http://"))
    scheme = 7;
  size_t host_start = scheme ? scheme : (starts_with_ci(s, 0, "www.") ? 4 : 0);
  size_t end = host_start;
  while (end < s.size() && host_char(static_cast<unsigned char>(s[end]))) ++end;
  std::string host = s.substr(host_start, end - host_start);
  std::vector<std::string> labels;
  bool tail = url_tail_ok(s, end);
  if (tail && host_labels(host, labels)) {
    // (https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})
    if (scheme || host_start == 4) {
      bool ok = true;
      for (size_t i = 0; i + 1 < labels.size(); ++i)
        if (!all_of_chars(labels[i], label_char)) ok = false;
      const std::string& tld = labels.back();
      bool alpha_tld = tld.size() >= 2 && tld.size() <= 63 &&
                       all_of_chars(tld, [](unsigned char c) { return std::isalpha(c) != 0; });
      bool idna_tld =
          tld.size() >= 6 && tld.size() <= 63 && starts_with_ci(tld, 0, "xn--") &&
          all_of_chars(tld.substr(4), [](unsigned char c) { return url_word_char(c) || c == '%'; });
      if (ok && (alpha_tld || idna_tld)) return true;
    }
    // ([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil), no scheme
    if (!scheme && labels.size() >= 2) {
      std::string all = host_start == 4 ? s.substr(0, end) : host;
      std::vector<std::string> l2;
      if (host_labels(all, l2)) {
        bool ok = true;
        for (size_t i = 0; i + 1 < l2.size(); ++i)
          if (l2[i].size() < 2 || l2[i].size() > 63 || !all_of_chars(l2[i], label_char)) ok = false;
        std::string tld = uni::lower(l2.back());
        static const char* tlds[] = {"com", "net", "int", "edu", "gov", "org", "info", "mil"};
        bool known = false;
        for (const char* t : tlds)
          if (tld == t) known = true;
        if (ok && known) return true;
      }
    }
  }
  if (scheme) {
    // IPv4 or bracketed IPv6 after the scheme.
    size_t i = scheme;
    if (i < s.size() && s[i] == '[') {
      size_t close = s.find(']', i);
      if (close == std::string::npos) return false;
      std::string inner = s.substr(i + 1, close - i - 1);
      size_t colons = std::count(inner.begin(), inner.end(), ':');
      if (colons < 2 ||
          !all_of_chars(inner, [](unsigned char c) { return std::isxdigit(c) || c == ':'; }))
        return false;
      return url_tail_ok(s, close + 1);
    }
    for (int part = 0; part < 4; ++part) {
      if (part) {
        if (i >= s.size() || s[i] != '.') return false;
        ++i;
      }
      size_t d = i;
      while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d])) && d - i < 3) ++d;
      if (d == i) return false;
      i = d;
    }
    return url_tail_ok(s, i);
  }
  return false;
}

// jinja2.utils._email_re: ^\S+@\w[\w.-]*\.\w+$
bool is_email(const std::string& s) {
  for (size_t at = 1; at < s.size(); ++at) {
    if (s[at] != '@') continue;
    bool space = false;
    for (size_t i = 0; i < at; ++i)
      if (std::isspace(static_cast<unsigned char>(s[i]))) space = true;
    if (space) return false;
    std::string rest = s.substr(at + 1);
    if (rest.empty() || !url_word_char(static_cast<unsigned char>(rest[0]))) continue;
    if (!all_of_chars(rest,
                      [](unsigned char c) { return url_word_char(c) || c == '.' || c == '-'; }))
      continue;
    size_t dot = rest.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= rest.size()) continue;
    if (all_of_chars(rest.substr(dot + 1), url_word_char)) return true;
  }
  return false;
}

// jinja2.filters._uri_scheme_re: ^([\w.+-]{2,}:(/){0,2})$
bool is_uri_scheme(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = s[i];
    if (!(url_word_char(c) || c == '.' || c == '+' || c == '-')) return false;
  }
  std::string slashes = s.substr(colon + 1);
  return slashes.size() <= 2 && all_of_chars(slashes, [](unsigned char c) { return c == '/'; });
}

// jinja2.utils.urlize
std::string urlize(const std::string& text, const Value& trim_limit, const std::string& rel,
                   const std::string& target, const std::vector<std::string>& extra_schemes) {
  auto trim_url = [&](const std::string& x) {
    if (trim_limit.is_int()) {
      std::u32string u = uni::decode(x);
      if (static_cast<int64_t>(u.size()) > trim_limit.as_int())
        return uni::encode(
                   u.substr(0, static_cast<size_t>(std::max<int64_t>(0, trim_limit.as_int())))) +
               "...";
    }
    return x;
  };
  std::string escaped = escape_html(text);
  // re.split(r"(\s+)") keeping separators.
  std::vector<std::string> words;
  {
    size_t i = 0;
    std::string cur;
    bool in_space = false;
    while (i < escaped.size()) {
      size_t start = i;
      char32_t c = uni::next(escaped, i);
      bool sp = uni::is_space(c);
      if (sp != in_space && (!cur.empty() || !words.empty() || sp)) {
        words.push_back(cur);
        cur.clear();
      }
      in_space = sp;
      cur.append(escaped, start, i - start);
    }
    words.push_back(cur);
    if (!words.empty() && words[0].empty() && words.size() > 1 && !in_space) {
      // keep Python's shape: split results always alternate word, space, word
    }
  }
  std::string rel_attr = rel.empty() ? "" : " rel=\"" + escape_html(rel) + "\"";
  std::string target_attr = target.empty() ? "" : " target=\"" + escape_html(target) + "\"";
  std::string out;
  for (auto& word : words) {
    std::string head, middle = word, tail;
    // leading ( < &lt;
    {
      size_t p = 0;
      while (true) {
        if (p < middle.size() && (middle[p] == '(' || middle[p] == '<'))
          ++p;
        else if (middle.compare(p, 4, "&lt;") == 0)
          p += 4;
        else
          break;
      }
      head = middle.substr(0, p);
      middle = middle.substr(p);
    }
    // trailing ) > . , \n &gt;
    {
      size_t e = middle.size();
      while (true) {
        if (e > 0 && (middle[e - 1] == ')' || middle[e - 1] == '>' || middle[e - 1] == '.' ||
                      middle[e - 1] == ',' || middle[e - 1] == '\n'))
          --e;
        else if (e >= 4 && middle.compare(e - 4, 4, "&gt;") == 0)
          e -= 4;
        else
          break;
      }
      tail = middle.substr(e);
      middle = middle.substr(0, e);
    }
    const std::pair<std::string, std::string> pairs[] = {{"(", ")"}, {"<", ">"}, {"&lt;", "&gt;"}};
    auto count = [](const std::string& s, const std::string& what) {
      size_t n = 0, p = 0;
      while ((p = s.find(what, p)) != std::string::npos) {
        ++n;
        p += what.size();
      }
      return n;
    };
    for (const auto& [sc, ec] : pairs) {
      size_t start_count = count(middle, sc);
      if (start_count <= count(middle, ec)) continue;
      size_t moves = std::min(start_count, count(tail, ec));
      for (size_t k = 0; k < moves; ++k) {
        size_t end_index = tail.find(ec) + ec.size();
        middle += tail.substr(0, end_index);
        tail = tail.substr(end_index);
      }
    }
    if (is_http_url(middle)) {
      if (middle.rfind("https://", 0) == 0 || middle.rfind("http://", 0) == 0)
        middle =
            "<a href=\"" + middle + "\"" + rel_attr + target_attr + ">" + trim_url(middle) + "</a>";
      else
        middle = "<a href=\"https://" + middle + "\"" + rel_attr + target_attr + ">" +
                 trim_url(middle) + "</a>";
    } else if (middle.rfind("mailto:", 0) == 0 && is_email(middle.substr(7))) {
      middle = "<a href=\"" + middle + "\">" + middle.substr(7) + "</a>";
    } else if (middle.find('@') != std::string::npos && middle.rfind("www.", 0) != 0 &&
               middle.find(':') == std::string::npos && is_email(middle)) {
      middle = "<a href=\"mailto:" + middle + "\">" + middle + "</a>";
    } else {
      for (const auto& scheme : extra_schemes)
        if (middle != scheme && middle.rfind(scheme, 0) == 0)
          middle = "<a href=\"" + middle + "\"" + rel_attr + target_attr + ">" + middle + "</a>";
    }
    out += head + middle + tail;
  }
  return out;
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
        throw EvalError(repr_string(str) + " is not a valid URI scheme prefix.");
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
    char32_t c = uni::next(s, i);
    bool w = c == '_' || uni::is_alnum(c);
    if (w && !in_word) ++n;
    in_word = w;
  }
  return Value(n);
}

// textwrap.TextWrapper.wrap with expand_tabs=False, replace_whitespace=False.
std::vector<std::u32string> text_wrap(const std::u32string& text, int64_t width, bool break_long,
                                      bool break_hyphens) {
  if (width <= 0) throw ValueErr("invalid width " + std::to_string(width) + " (must be > 0)");
  auto ws = [](char32_t c) {
    return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ';
  };
  auto letter = [](char32_t c) { return uni::is_alpha(c); };
  std::vector<std::u32string> chunks;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    if (ws(text[i])) {
      while (j < text.size() && ws(text[j])) ++j;
      chunks.push_back(text.substr(i, j - i));
      i = j;
      continue;
    }
    while (j < text.size() && !ws(text[j])) ++j;
    std::u32string word = text.substr(i, j - i);
    if (!break_hyphens) {
      chunks.push_back(word);
    } else {
      // split after hyphens inside words: "x-ray" stays, "long-word" -> "long-", "word"
      size_t start = 0;
      for (size_t k = 0; k < word.size(); ++k) {
        if (word[k] != '-') continue;
        bool before = (k >= 2 && letter(word[k - 1]) && letter(word[k - 2])) ||
                      (k >= 3 && letter(word[k - 1]) && word[k - 2] == '-' && letter(word[k - 3]));
        bool after = k + 1 < word.size() &&
                     ((letter(word[k + 1]) && k + 2 < word.size() && letter(word[k + 2])) ||
                      (letter(word[k + 1]) && k + 3 < word.size() && word[k + 2] == '-' &&
                       letter(word[k + 3])));
        if (before && after) {
          chunks.push_back(word.substr(start, k + 1 - start));
          start = k + 1;
        }
      }
      chunks.push_back(word.substr(start));
    }
    i = j;
  }
  auto is_blank = [&](const std::u32string& s) {
    for (char32_t c : s)
      if (!uni::is_space(c)) return false;
    return true;
  };
  std::vector<std::u32string> lines;
  std::reverse(chunks.begin(), chunks.end());
  while (!chunks.empty()) {
    std::vector<std::u32string> cur;
    int64_t cur_len = 0;
    if (is_blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      int64_t l = static_cast<int64_t>(chunks.back().size());
      if (cur_len + l <= width) {
        cur.push_back(chunks.back());
        chunks.pop_back();
        cur_len += l;
      } else {
        break;
      }
    }
    if (!chunks.empty() && static_cast<int64_t>(chunks.back().size()) > width) {
      int64_t space_left = width < 1 ? 1 : width - cur_len;
      if (break_long) {
        int64_t end = space_left;
        std::u32string& chunk = chunks.back();
        if (break_hyphens && static_cast<int64_t>(chunk.size()) > space_left) {
          size_t h = chunk.rfind(U'-', static_cast<size_t>(space_left) - 1);
          if (space_left > 0 && h != std::u32string::npos && h > 0 &&
              static_cast<int64_t>(h) < space_left) {
            bool non_hyphen = false;
            for (size_t q = 0; q < h; ++q)
              if (chunk[q] != '-') non_hyphen = true;
            if (non_hyphen) end = static_cast<int64_t>(h) + 1;
          }
        }
        cur.push_back(chunk.substr(0, static_cast<size_t>(end)));
        chunk = chunk.substr(static_cast<size_t>(end));
      } else if (cur.empty()) {
        cur.push_back(chunks.back());
        chunks.pop_back();
      }
      cur_len = 0;
      for (const auto& c : cur) cur_len += static_cast<int64_t>(c.size());
    }
    if (!cur.empty() && is_blank(cur.back())) cur.pop_back();
    if (!cur.empty()) {
      std::u32string line;
      for (const auto& c : cur) line += c;
      lines.push_back(line);
    }
  }
  return lines;
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
    auto wrapped = text_wrap(uni::decode(line.str()), width, break_long, hyphens);
    for (size_t i = 0; i < wrapped.size(); ++i) {
      if (i) out += wrap;
      out += uni::encode(wrapped[i]);
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

// ---------------------------------------------------------------- markup helpers

std::string html_unescape(const std::string& s) {
  static const std::map<std::string, std::string> named = {{"amp", "&"},
                                                           {"lt", "<"},
                                                           {"gt", ">"},
                                                           {"quot", "\""},
                                                           {"apos", "'"},
                                                           {"nbsp", "\xC2\xA0"},
                                                           {"copy", "\xC2\xA9"},
                                                           {"reg", "\xC2\xAE"},
                                                           {"raquo", "\xC2\xBB"},
                                                           {"laquo", "\xC2\xAB"},
                                                           {"hellip", "\xE2\x80\xA6"},
                                                           {"mdash", "\xE2\x80\x94"},
                                                           {"ndash", "\xE2\x80\x93"},
                                                           {"euro", "\xE2\x82\xAC"},
                                                           {"trade", "\xE2\x84\xA2"},
                                                           {"middot", "\xC2\xB7"},
                                                           {"bull", "\xE2\x80\xA2"},
                                                           {"deg", "\xC2\xB0"}};
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi != std::string::npos && semi - i <= 32) {
      std::string ent = s.substr(i + 1, semi - i - 1);
      if (!ent.empty() && ent[0] == '#') {
        char32_t cp = 0;
        bool ok = ent.size() > 1;
        if (ok && (ent[1] == 'x' || ent[1] == 'X')) {
          ok = ent.size() > 2;
          for (size_t k = 2; k < ent.size() && ok; ++k) {
            if (!std::isxdigit(static_cast<unsigned char>(ent[k])))
              ok = false;
            else
              cp = cp * 16 + static_cast<char32_t>(
                                 std::isdigit(static_cast<unsigned char>(ent[k]))
                                     ? ent[k] - '0'
                                     : std::tolower(static_cast<unsigned char>(ent[k])) - 'a' + 10);
            if (cp > 0x10FFFF) ok = false;
          }
        } else {
          for (size_t k = 1; k < ent.size() && ok; ++k) {
            if (!std::isdigit(static_cast<unsigned char>(ent[k])))
              ok = false;
            else
              cp = cp * 10 + static_cast<char32_t>(ent[k] - '0');
            if (cp > 0x10FFFF) ok = false;
          }
        }
        if (ok) {
          uni::append(out, cp == 0 ? 0xFFFD : cp);
          i = semi + 1;
          continue;
        }
      } else {
        auto it = named.find(ent);
        if (it != named.end()) {
          out += it->second;
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

std::string markup_striptags(const std::string& s) {
  std::string no_comments;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = s.find("<!--", i);
    if (start == std::string::npos) {
      no_comments.append(s, i, std::string::npos);
      break;
    }
    size_t end = s.find("-->", start + 4);
    if (end == std::string::npos) {
      no_comments.append(s, i, std::string::npos);
      break;
    }
    no_comments.append(s, i, start - i);
    i = end + 3;
  }
  std::string no_tags;
  i = 0;
  while (i < no_comments.size()) {
    size_t start = no_comments.find('<', i);
    if (start == std::string::npos) {
      no_tags.append(no_comments, i, std::string::npos);
      break;
    }
    size_t end = no_comments.find('>', start + 1);
    if (end == std::string::npos) {
      no_tags.append(no_comments, i, std::string::npos);
      break;
    }
    no_tags.append(no_comments, i, start - i);
    i = end + 1;
  }
  // " ".join(value.split())
  std::string joined;
  std::u32string u = uni::decode(no_tags);
  size_t k = 0;
  while (k < u.size()) {
    while (k < u.size() && uni::is_space(u[k])) ++k;
    if (k >= u.size()) break;
    size_t e = k;
    while (e < u.size() && !uni::is_space(u[e])) ++e;
    if (!joined.empty()) joined.push_back(' ');
    joined += uni::encode(u.substr(k, e - k));
    k = e;
  }
  return html_unescape(joined);
}

// ---------------------------------------------------------------- tojson

namespace {

void json_string(std::string& out, const std::string& s) {
  out.push_back('"');
  size_t i = 0;
  char buf[16];
  while (i < s.size()) {
    char32_t c = uni::next(s, i);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '\'':
        out += "\\u0027";
        break;
      default:
        if (c >= 0x20 && c < 0x7F) {
          out.push_back(static_cast<char>(c));
        } else if (c < 0x10000) {
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          char32_t v = c - 0x10000;
          std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x",
                        static_cast<unsigned>(0xD800 + (v >> 10)),
                        static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
          out += buf;
        }
    }
  }
  out.push_back('"');
}

void json_scalar_key(std::string& out, const Value& k) {
  if (k.is_string())
    json_string(out, k.str());
  else if (k.is_bool())
    json_string(out, k.as_bool() ? "true" : "false");
  else if (k.is_none())
    json_string(out, "null");
  else if (k.is_int())
    json_string(out, std::to_string(k.as_int()));
  else if (k.is_float()) {
    double d = k.as_float();
    json_string(out, std::isnan(d)   ? "NaN"
                     : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                                     : float_repr(d));
  } else {
    throw TypeErr("keys must be str, int, float, bool or None, not " + py_type_name(k));
  }
}

void json_dump(std::string& out, const Value& v, int indent, int level) {
  if (level > 400) throw EvalError("maximum recursion depth exceeded while encoding a JSON object");
  auto newline = [&](int lvl) {
    out.push_back('\n');
    out.append(static_cast<size_t>(indent) * static_cast<size_t>(lvl), ' ');
  };
  switch (v.kind()) {
    case Kind::None:
      out += "null";
      return;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::Int:
      out += std::to_string(v.as_int());
      return;
    case Kind::Float: {
      double d = v.as_float();
      out += std::isnan(d)   ? "NaN"
             : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                             : float_repr(d);
      return;
    }
    case Kind::String:
      json_string(out, v.str());
      return;
    case Kind::List:
    case Kind::Tuple: {
      if (v.seq().tag != SeqTag::List && v.seq().tag != SeqTag::Group)
        throw TypeErr("Object of type " + py_type_name(v) + " is not JSON serializable");
      const auto& items = v.items();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += indent >= 0 ? "," : ", ";
        if (indent >= 0) newline(level + 1);
        json_dump(out, items[i], indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out.push_back(']');
      return;
    }
    case Kind::Dict: {
      const auto& entries = v.dict_ref().entries;
      if (entries.empty()) {
        out += "{}";
        return;
      }
      std::vector<size_t> idx(entries.size());
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        return py_cmp(entries[a].first, entries[b].first, "<") == -1;
      });
      out.push_back('{');
      bool first = true;
      for (size_t i : idx) {
        if (!first) out += indent >= 0 ? "," : ", ";
        first = false;
        if (indent >= 0) newline(level + 1);
        json_scalar_key(out, entries[i].first);
        out += ": ";
        json_dump(out, entries[i].second, indent, level + 1);
      }
      if (indent >= 0) newline(level);
      out.push_back('}');
      return;
    }
    default:
      throw TypeErr("Object of type " + py_type_name(v) + " is not JSON serializable");
  }
}

}  // namespace

std::string tojson(const Value& v, int indent) {
  std::string out;
  json_dump(out, v, indent, 0);
  return out;
}

// ---------------------------------------------------------------- pprint

namespace {

constexpr int kWidth = 80;

void pp_repr(std::string& out, const Value& v, int depth);

std::vector<size_t> sorted_dict_order(const DictHeap& d) {
  std::vector<size_t> idx(d.entries.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    const Value& x = d.entries[a].first;
    const Value& y = d.entries[b].first;
    try {
      return py_cmp(x, y, "<") == -1;
    } catch (const EvalError&) {
      return py_type_name(x) < py_type_name(y);
    }
  });
  return idx;
}

// safe_repr: repr() with dict keys sorted.
void pp_repr(std::string& out, const Value& v, int depth) {
  if (depth > 400) throw EvalError("maximum recursion depth exceeded");
  if (v.is_dict() && !v.dict_ref().environ) {
    const DictHeap& d = v.dict_ref();
    out.push_back('{');
    bool first = true;
    for (size_t i : sorted_dict_order(d)) {
      if (!first) out += ", ";
      first = false;
      pp_repr(out, d.entries[i].first, depth + 1);
      out += ": ";
      pp_repr(out, d.entries[i].second, depth + 1);
    }
    out.push_back('}');
    return;
  }
  if (v.is_seq() && (v.seq().tag == SeqTag::List || v.seq().tag == SeqTag::Group)) {
    bool tuple = v.is_tuple();
    out.push_back(tuple ? '(' : '[');
    const auto& items = v.items();
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      pp_repr(out, items[i], depth + 1);
    }
    if (tuple && items.size() == 1) out.push_back(',');
    out.push_back(tuple ? ')' : ']');
    return;
  }
  py_repr_to(out, v);
}

std::string pp_repr(const Value& v) {
  std::string out;
  pp_repr(out, v, 0);
  return out;
}

size_t cplen(const std::string& s) {
  return uni::length(s);
}

struct PrettyPrinter {
  std::string out;

  void format(const Value& v, int indent, int allowance, int level) {
    if (level > 400) throw EvalError("maximum recursion depth exceeded");
    std::string rep = pp_repr(v);
    int max_width = kWidth - indent - allowance;
    if (static_cast<int>(cplen(rep)) > max_width) {
      if (v.is_dict() && !v.dict_ref().environ) return pprint_dict(v, indent, allowance, level + 1);
      if (v.is_seq() && (v.seq().tag == SeqTag::List || v.seq().tag == SeqTag::Group)) {
        if (v.is_tuple()) return pprint_tuple(v, indent, allowance, level + 1);
        return pprint_list(v, indent, allowance, level + 1);
      }
      if (v.is_string() && !v.safe()) return pprint_str(v.str(), indent, allowance, level + 1);
    }
    out += rep;
  }

  void pprint_dict(const Value& v, int indent, int allowance, int level) {
    out.push_back('{');
    const DictHeap& d = v.dict_ref();
    if (!d.entries.empty()) {
      auto order = sorted_dict_order(d);
      int ind = indent + 1;
      std::string delimnl = ",\n" + std::string(static_cast<size_t>(ind), ' ');
      for (size_t n = 0; n < order.size(); ++n) {
        bool last = n + 1 == order.size();
        const auto& [k, ent] = d.entries[order[n]];
        std::string rep = pp_repr(k);
        out += rep;
        out += ": ";
        format(ent, ind + static_cast<int>(cplen(rep)) + 2, last ? allowance + 1 : 1, level);
        if (!last) out += delimnl;
      }
    }
    out.push_back('}');
  }

  void format_items(const std::vector<Value>& items, int indent, int allowance, int level) {
    int ind = indent + 1;
    std::string delimnl = ",\n" + std::string(static_cast<size_t>(ind), ' ');
    for (size_t i = 0; i < items.size(); ++i) {
      bool last = i + 1 == items.size();
      if (i) out += delimnl;
      format(items[i], ind, last ? allowance : 1, level);
    }
  }

  void pprint_list(const Value& v, int indent, int allowance, int level) {
    out.push_back('[');
    format_items(v.items(), indent, allowance + 1, level);
    out.push_back(']');
  }

  void pprint_tuple(const Value& v, int indent, int allowance, int level) {
    out.push_back('(');
    std::string end = v.items().size() == 1 ? ",)" : ")";
    format_items(v.items(), indent, allowance + static_cast<int>(end.size()), level);
    out += end;
  }

  void pprint_str(const std::string& s, int indent, int allowance, int level) {
    if (s.empty()) {
      out += repr_string(s);
      return;
    }
    std::vector<std::string> chunks;
    // splitlines(keepends=True)
    std::vector<std::string> lines;
    {
      size_t start = 0;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || s[i] == '\r') {
          size_t e = i + 1;
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') e = i + 2;
          lines.push_back(s.substr(start, e - start));
          start = e;
          i = e - 1;
        }
      }
      if (start < s.size()) lines.push_back(s.substr(start));
    }
    if (level == 1) {
      indent += 1;
      allowance += 1;
    }
    int max_width1 = kWidth - indent, max_width = kWidth - indent;
    std::string rep;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      rep = repr_string(line);
      if (i + 1 == lines.size()) max_width1 -= allowance;
      if (static_cast<int>(cplen(rep)) <= max_width1) {
        chunks.push_back(rep);
        continue;
      }
      // parts: \S*\s* runs
      std::vector<std::string> parts;
      {
        std::u32string u = uni::decode(line);
        size_t k = 0;
        while (k < u.size()) {
          size_t e = k;
          while (e < u.size() && !uni::is_space(u[e])) ++e;
          while (e < u.size() && uni::is_space(u[e])) ++e;
          parts.push_back(uni::encode(u.substr(k, e - k)));
          k = e;
        }
      }
      int max_width2 = max_width;
      std::string current;
      for (size_t j = 0; j < parts.size(); ++j) {
        std::string candidate = current + parts[j];
        if (j + 1 == parts.size() && i + 1 == lines.size()) max_width2 -= allowance;
        if (static_cast<int>(cplen(repr_string(candidate))) > max_width2) {
          if (!current.empty()) chunks.push_back(repr_string(current));
          current = parts[j];
        } else {
          current = candidate;
        }
      }
      if (!current.empty()) chunks.push_back(repr_string(current));
    }
    if (chunks.size() == 1) {
      out += rep;
      return;
    }
    if (level == 1) out.push_back('(');
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i) {
        out.push_back('\n');
        out.append(static_cast<size_t>(indent), ' ');
      }
      out += chunks[i];
    }
    if (level == 1) out.push_back(')');
  }
};

}  // namespace

std::string pformat(const Value& v) {
  PrettyPrinter p;
  p.format(v, 0, 0, 0);
  return p.out;
}

}  // namespace lava::tmpl
