#include "template/methods.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "pytext/case.h"
#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/args.h"
#include "template/errors.h"
#include "template/markup.h"
#include "template/objects.h"
#include "template/pyformat.h"
#include "template/pyops.h"
#include "template/runtime.h"

namespace lava::tmpl {

namespace {

const std::set<std::string_view>& str_methods() {
  static const std::set<std::string_view> m = {
      "capitalize",  "casefold",   "center",     "count",        "endswith",     "expandtabs",
      "find",        "format",     "format_map", "index",        "isalnum",      "isalpha",
      "isascii",     "isdecimal",  "isdigit",    "isidentifier", "islower",      "isnumeric",
      "isprintable", "isspace",    "istitle",    "isupper",      "join",         "ljust",
      "lower",       "lstrip",     "partition",  "removeprefix", "removesuffix", "replace",
      "rfind",       "rindex",     "rjust",      "rpartition",   "rsplit",       "rstrip",
      "split",       "splitlines", "startswith", "strip",        "swapcase",     "title",
      "upper",       "zfill",      "encode",     "translate",    "maketrans"};
  return m;
}
const std::set<std::string_view>& markup_methods() {
  static const std::set<std::string_view> m = {"striptags", "unescape", "escape"};
  return m;
}
const std::set<std::string_view>& list_methods() {
  static const std::set<std::string_view> m = {"append", "clear",   "copy",   "count",
                                               "extend", "index",   "insert", "pop",
                                               "remove", "reverse", "sort"};
  return m;
}
const std::set<std::string_view>& tuple_methods() {
  static const std::set<std::string_view> m = {"count", "index"};
  return m;
}
const std::set<std::string_view>& dict_methods() {
  static const std::set<std::string_view> m = {"clear",      "copy",   "fromkeys", "get",
                                               "items",      "keys",   "pop",      "popitem",
                                               "setdefault", "update", "values"};
  return m;
}
const std::set<std::string_view>& int_methods() {
  static const std::set<std::string_view> m = {"bit_length", "conjugate", "as_integer_ratio"};
  return m;
}
const std::set<std::string_view>& float_methods() {
  static const std::set<std::string_view> m = {"is_integer", "conjugate", "as_integer_ratio"};
  return m;
}

std::string arg_str(const Value& v, const char* what) {
  if (v.is_string()) return v.str();
  if (v.is_undefined()) fail_undefined(v);
  throw TypeErr(std::string(what) + " must be str, not " + py_type_name(v));
}

// Python index arguments (start/end) adjusted for a sequence of length n.
int64_t norm_index(const Value& v, int64_t n, int64_t dflt) {
  if (v.is_none()) return dflt;
  if (!v.is_int() && !v.is_bool())
    throw TypeErr("slice indices must be integers or None or have an __index__ method");
  int64_t i = v.as_int();
  if (i < 0) {
    i += n;
    if (i < 0) i = 0;
  }
  if (i > n) i = n;
  return i;
}

bool strip_char(char32_t c, const std::u32string* chars) {
  if (!chars) return pytext::is_space(c);
  return chars->find(c) != std::u32string::npos;
}

std::string do_strip(const std::string& s, const Value& chars_v, bool left, bool right) {
  std::u32string chars;
  const std::u32string* cp = nullptr;
  if (!chars_v.is_none()) {
    chars = pytext::decode(arg_str(chars_v, "strip arg"));
    cp = &chars;
  }
  std::u32string u = pytext::decode(s);
  size_t b = 0, e = u.size();
  if (left)
    while (b < e && strip_char(u[b], cp)) ++b;
  if (right)
    while (e > b && strip_char(u[e - 1], cp)) --e;
  return pytext::encode(u.substr(b, e - b));
}

std::vector<std::string> split_ws(const std::string& s, int64_t maxsplit, bool from_right) {
  std::u32string u = pytext::decode(s);
  std::vector<std::string> out;
  if (!from_right) {
    size_t i = 0, n = u.size();
    while (i < n) {
      while (i < n && pytext::is_space(u[i])) ++i;
      if (i >= n) break;
      if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) {
        size_t e = n;
        while (e > i && pytext::is_space(u[e - 1])) --e;
        out.push_back(pytext::encode(u.substr(i, e - i)));
        return out;
      }
      size_t j = i;
      while (j < n && !pytext::is_space(u[j])) ++j;
      out.push_back(pytext::encode(u.substr(i, j - i)));
      i = j;
    }
    return out;
  }
  int64_t i = static_cast<int64_t>(u.size()) - 1;
  while (i >= 0) {
    while (i >= 0 && pytext::is_space(u[static_cast<size_t>(i)])) --i;
    if (i < 0) break;
    if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) {
      size_t b = 0;
      while (b < static_cast<size_t>(i) && pytext::is_space(u[b])) ++b;
      out.push_back(pytext::encode(u.substr(b, static_cast<size_t>(i) + 1 - b)));
      break;
    }
    int64_t j = i;
    while (j >= 0 && !pytext::is_space(u[static_cast<size_t>(j)])) --j;
    out.push_back(pytext::encode(u.substr(static_cast<size_t>(j + 1), static_cast<size_t>(i - j))));
    i = j;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_sep(const std::string& s, const std::string& sep, int64_t maxsplit,
                                   bool from_right) {
  if (sep.empty()) throw ValueErr("empty separator");
  std::vector<std::string> out;
  if (!from_right) {
    size_t pos = 0;
    while (true) {
      if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) break;
      size_t f = s.find(sep, pos);
      if (f == std::string::npos) break;
      out.push_back(s.substr(pos, f - pos));
      pos = f + sep.size();
    }
    out.push_back(s.substr(pos));
    return out;
  }
  size_t end = s.size();
  while (true) {
    if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) break;
    if (end < sep.size()) break;
    size_t f = s.rfind(sep, end - sep.size());
    if (f == std::string::npos) break;
    out.push_back(s.substr(f + sep.size(), end - f - sep.size()));
    end = f;
  }
  out.push_back(s.substr(0, end));
  std::reverse(out.begin(), out.end());
  return out;
}

Value str_list(const std::vector<std::string>& parts, bool safe) {
  std::vector<Value> items;
  items.reserve(parts.size());
  for (const auto& p : parts) items.emplace_back(p, safe);
  return Value::list(std::move(items));
}

bool is_line_break(char32_t c) {
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e ||
         c == 0x85 || c == 0x2028 || c == 0x2029;
}

std::vector<std::string> split_lines(const std::string& s, bool keepends) {
  std::u32string u = pytext::decode(s);
  std::vector<std::string> out;
  size_t i = 0, start = 0;
  while (i < u.size()) {
    if (is_line_break(u[i])) {
      size_t eol = i + 1;
      if (u[i] == '\r' && i + 1 < u.size() && u[i + 1] == '\n') eol = i + 2;
      out.push_back(pytext::encode(u.substr(start, (keepends ? eol : i) - start)));
      start = i = eol;
    } else {
      ++i;
    }
  }
  if (start < u.size()) out.push_back(pytext::encode(u.substr(start)));
  return out;
}

// Counts / finds over code points.
struct CpView {
  std::u32string u;
  explicit CpView(const std::string& s) : u(pytext::decode(s)) {}
};

int64_t cp_find(const std::u32string& hay, const std::u32string& needle, int64_t start, int64_t end,
                bool reverse) {
  if (start > end) return -1;
  if (static_cast<int64_t>(needle.size()) > end - start) return -1;
  if (!reverse) {
    size_t f = hay.substr(0, static_cast<size_t>(end)).find(needle, static_cast<size_t>(start));
    return f == std::u32string::npos ? -1 : static_cast<int64_t>(f);
  }
  std::u32string window = hay.substr(0, static_cast<size_t>(end));
  size_t f = window.rfind(needle);
  if (f == std::u32string::npos || static_cast<int64_t>(f) < start) return -1;
  return static_cast<int64_t>(f);
}

std::string pad_to(const std::string& s, int64_t width, char32_t fill, int where) {
  int64_t len = static_cast<int64_t>(pytext::length(s));
  if (width <= len) return s;
  int64_t marg = width - len;
  int64_t left = 0, right = 0;
  if (where < 0) {
    right = marg;
  } else if (where > 0) {
    left = marg;
  } else {
    left = marg / 2 + (marg & width & 1);
    right = marg - left;
  }
  std::string f;
  pytext::append(f, fill);
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += f;
  out += s;
  for (int64_t i = 0; i < right; ++i) out += f;
  return out;
}

char32_t fill_char(const Value& v) {
  if (v.is_none()) return ' ';
  std::string s = arg_str(v, "fillchar");
  if (pytext::length(s) != 1)
    throw TypeErr("The fill character must be exactly one character long");
  size_t i = 0;
  return pytext::next(s, i);
}

int64_t int_arg(const Value& v, const char* what) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_undefined()) fail_undefined(v);
  throw TypeErr(std::string("'") + py_type_name(v) +
                "' object cannot be interpreted as an integer" + (what[0] ? "" : ""));
}

bool prefix_match(const std::string& s, const Value& prefix, const Value& start, const Value& end,
                  bool suffix) {
  std::u32string u = pytext::decode(s);
  int64_t n = static_cast<int64_t>(u.size());
  int64_t b = norm_index(start, n, 0);
  int64_t e = norm_index(end, n, n);
  auto check = [&](const Value& p) {
    if (!p.is_string()) {
      if (p.is_undefined()) fail_undefined(p);
      throw TypeErr(std::string(suffix ? "endswith" : "startswith") +
                    " first arg must be str or a tuple of str, not " + py_type_name(p));
    }
    std::u32string pu = pytext::decode(p.str());
    if (b > e) return false;
    if (static_cast<int64_t>(pu.size()) > e - b) return false;
    if (suffix) return u.compare(static_cast<size_t>(e) - pu.size(), pu.size(), pu) == 0;
    return u.compare(static_cast<size_t>(b), pu.size(), pu) == 0;
  };
  if (prefix.is_tuple()) {
    for (const auto& p : prefix.items())
      if (check(p)) return true;
    return false;
  }
  return check(prefix);
}

std::string replace_all(const std::string& s, const std::string& old, const std::string& repl,
                        int64_t count) {
  if (old.empty()) {
    // Inserts `repl` around every character.
    std::string out;
    int64_t done = 0;
    size_t i = 0;
    if (count != 0) {
      out += repl;
      ++done;
    }
    while (i < s.size()) {
      size_t start = i;
      pytext::next(s, i);
      out.append(s, start, i - start);
      if (count < 0 || done < count) {
        out += repl;
        ++done;
      }
    }
    return out;
  }
  std::string out;
  size_t pos = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    size_t f = s.find(old, pos);
    if (f == std::string::npos) break;
    out.append(s, pos, f - pos);
    out += repl;
    pos = f + old.size();
    ++done;
  }
  out.append(s, pos, std::string::npos);
  return out;
}

Value call_str_method(Runtime& rt, const Value& self, std::string_view name, CallArgs& args) {
  const std::string& s = self.str();
  const bool safe = self.safe();
  // Markup methods escape their string arguments.
  auto esc = [&](const Value& v) -> std::string {
    if (!safe) return arg_str(v, "argument");
    if (v.is_string() && v.safe()) return v.str();
    return escape_html(py_str(v));
  };
  auto result = [&](std::string r) { return Value(std::move(r), safe); };

  if (name == "upper") {
    ArgBinder a(name, args, {});
    return result(pytext::upper(s));
  }
  if (name == "lower" || name == "casefold") {
    ArgBinder a(name, args, {});
    return result(pytext::lower(s));
  }
  if (name == "title") {
    ArgBinder a(name, args, {});
    return result(pytext::title(s));
  }
  if (name == "capitalize") {
    ArgBinder a(name, args, {});
    return result(pytext::capitalize(s));
  }
  if (name == "swapcase") {
    ArgBinder a(name, args, {});
    return result(pytext::swapcase(s));
  }
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    ArgBinder a(name, args, {"chars"});
    return result(do_strip(s, a.get(0), name != "rstrip", name != "lstrip"));
  }
  if (name == "split" || name == "rsplit") {
    ArgBinder a(name, args, {"sep", "maxsplit"});
    Value sep = a.get(0);
    int64_t maxsplit = a.has(1) ? int_arg(a.get(1), "") : -1;
    if (sep.is_none()) return str_list(split_ws(s, maxsplit, name == "rsplit"), safe);
    return str_list(split_sep(s, esc(sep), maxsplit, name == "rsplit"), safe);
  }
  if (name == "splitlines") {
    ArgBinder a(name, args, {"keepends"});
    return str_list(split_lines(s, py_truthy(a.get(0, Value(false)))), safe);
  }
  if (name == "replace") {
    ArgBinder a(name, args, {"old", "new", "count"}, 2);
    int64_t count = a.has(2) ? int_arg(a.get(2), "") : -1;
    return result(replace_all(s, esc(a.get(0)), esc(a.get(1)), count));
  }
  if (name == "startswith" || name == "endswith") {
    ArgBinder a(name, args, {"prefix", "start", "end"}, 1);
    return Value(prefix_match(s, a.get(0), a.get(1), a.get(2), name == "endswith"));
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex" || name == "count") {
    ArgBinder a(name, args, {"sub", "start", "end"}, 1);
    std::u32string u = pytext::decode(s);
    std::u32string sub = pytext::decode(arg_str(a.get(0), "must be str"));
    int64_t n = static_cast<int64_t>(u.size());
    int64_t b = norm_index(a.get(1), n, 0);
    int64_t e = norm_index(a.get(2), n, n);
    if (name == "count") {
      if (b > e) return Value(int64_t{0});
      if (sub.empty()) return Value(e - b + 1);
      int64_t c = 0;
      size_t pos = static_cast<size_t>(b);
      while (true) {
        size_t f = u.find(sub, pos);
        if (f == std::u32string::npos || static_cast<int64_t>(f + sub.size()) > e) break;
        ++c;
        pos = f + sub.size();
      }
      return Value(c);
    }
    bool reverse = name[0] == 'r';
    int64_t r = cp_find(u, sub, b, e, reverse);
    if (r < 0 && (name == "index" || name == "rindex")) throw ValueErr("substring not found");
    return Value(r);
  }
  if (name == "join") {
    ArgBinder a(name, args, {"iterable"}, 1);
    std::string out;
    bool first = true;
    int64_t idx = 0;
    for (const auto& item : py_iter(a.get(0), &rt)) {
      if (!item.is_string())
        throw TypeErr("sequence item " + std::to_string(idx) + ": expected str instance, " +
                      py_type_name(item) + " found");
      if (!first) out += s;
      first = false;
      out += safe ? esc(item) : item.str();
      ++idx;
    }
    return result(std::move(out));
  }
  if (name == "center" || name == "ljust" || name == "rjust") {
    ArgBinder a(name, args, {"width", "fillchar"}, 1);
    int where = name == "center" ? 0 : name == "ljust" ? -1 : 1;
    return result(pad_to(s, int_arg(a.get(0), ""), fill_char(a.get(1)), where));
  }
  if (name == "zfill") {
    ArgBinder a(name, args, {"width"}, 1);
    int64_t width = int_arg(a.get(0), "");
    int64_t len = static_cast<int64_t>(pytext::length(s));
    if (width <= len) return result(s);
    std::string zeros(static_cast<size_t>(width - len), '0');
    if (!s.empty() && (s[0] == '+' || s[0] == '-'))
      return result(s.substr(0, 1) + zeros + s.substr(1));
    return result(zeros + s);
  }
  if (name == "partition" || name == "rpartition") {
    ArgBinder a(name, args, {"sep"}, 1);
    std::string sep = esc(a.get(0));
    if (sep.empty()) throw ValueErr("empty separator");
    size_t f = name == "partition" ? s.find(sep) : s.rfind(sep);
    if (f == std::string::npos) {
      if (name == "partition")
        return Value::tuple({Value(s, safe), Value("", safe), Value("", safe)});
      return Value::tuple({Value("", safe), Value("", safe), Value(s, safe)});
    }
    return Value::tuple(
        {Value(s.substr(0, f), safe), Value(sep, safe), Value(s.substr(f + sep.size()), safe)});
  }
  if (name == "removeprefix" || name == "removesuffix") {
    ArgBinder a(name, args, {"affix"}, 1);
    std::string p = arg_str(a.get(0), "argument");
    if (name == "removeprefix" && s.compare(0, p.size(), p) == 0) return result(s.substr(p.size()));
    if (name == "removesuffix" && !p.empty() && s.size() >= p.size() &&
        s.compare(s.size() - p.size(), p.size(), p) == 0)
      return result(s.substr(0, s.size() - p.size()));
    return result(s);
  }
  if (name == "expandtabs") {
    ArgBinder a(name, args, {"tabsize"});
    int64_t tab = a.has(0) ? int_arg(a.get(0), "") : 8;
    std::string out;
    int64_t col = 0;
    size_t i = 0;
    while (i < s.size()) {
      char32_t c = pytext::next(s, i);
      if (c == '\t') {
        if (tab > 0) {
          int64_t n = tab - col % tab;
          out.append(static_cast<size_t>(n), ' ');
          col += n;
        }
      } else if (c == '\n' || c == '\r') {
        pytext::append(out, c);
        col = 0;
      } else {
        pytext::append(out, c);
        ++col;
      }
    }
    return result(std::move(out));
  }
  if (name.substr(0, 2) == "is") {
    ArgBinder a(name, args, {});
    std::u32string u = pytext::decode(s);
    auto all = [&](auto pred) {
      if (u.empty()) return false;
      for (char32_t c : u)
        if (!pred(c)) return false;
      return true;
    };
    if (name == "isalnum") return Value(all(pytext::is_alnum));
    if (name == "isalpha") return Value(all(pytext::is_alpha));
    if (name == "isascii") return Value(pytext::is_ascii(s));
    if (name == "isdecimal" || name == "isdigit" || name == "isnumeric")
      return Value(all(pytext::is_decimal));
    if (name == "isspace") return Value(all(pytext::is_space));
    if (name == "isprintable") {
      for (char32_t c : u)
        if (!pytext::is_printable(c) && c != ' ') return Value(false);
      return Value(true);
    }
    if (name == "isidentifier") {
      if (u.empty()) return Value(false);
      if (!(u[0] == '_' || pytext::is_alpha(u[0]))) return Value(false);
      for (char32_t c : u)
        if (!(c == '_' || pytext::is_alnum(c))) return Value(false);
      return Value(true);
    }
    if (name == "islower" || name == "isupper") {
      bool cased = false;
      for (char32_t c : u) {
        if (name == "islower" ? pytext::is_upper(c) : pytext::is_lower(c)) return Value(false);
        if (pytext::is_upper(c) || pytext::is_lower(c)) cased = true;
      }
      return Value(cased);
    }
    if (name == "istitle") {
      bool cased = false, prev_cased = false;
      for (char32_t c : u) {
        if (pytext::is_upper(c)) {
          if (prev_cased) return Value(false);
          prev_cased = cased = true;
        } else if (pytext::is_lower(c)) {
          if (!prev_cased) return Value(false);
          prev_cased = cased = true;
        } else {
          prev_cased = false;
        }
      }
      return Value(cased);
    }
  }
  if (name == "format") {
    std::string fmt = s;
    if (safe) {
      CallArgs escaped;
      for (const auto& v : args.pos)
        escaped.pos.push_back(v.is_string() && !v.safe() ? escape_value(v) : v);
      for (const auto& [k, v] : args.kw)
        escaped.kw.emplace_back(k, v.is_string() && !v.safe() ? escape_value(v) : v);
      return Value::markup(str_format(rt, fmt, escaped));
    }
    return Value(str_format(rt, fmt, args));
  }
  if (name == "format_map") {
    ArgBinder a(name, args, {"mapping"}, 1);
    CallArgs kw;
    Value m = a.get(0);
    if (!m.is_dict()) throw TypeErr("format_map() argument must be a mapping");
    for (const auto& [k, v] : m.dict_ref().entries)
      if (k.is_string()) kw.kw.emplace_back(k.str(), v);
    return Value(str_format(rt, s, kw));
  }
  if (name == "striptags" || name == "unescape") {
    return Value(name == "striptags" ? markup_striptags(s) : html_unescape(s));
  }
  if (name == "escape") return escape_value(self);
  throw TypeErr("str." + std::string(name) + "() is not supported");
}

int64_t list_index(const std::vector<Value>& items, const Value& x, const Value& start,
                   const Value& stop) {
  int64_t n = static_cast<int64_t>(items.size());
  int64_t b = norm_index(start, n, 0);
  int64_t e = norm_index(stop, n, n);
  for (int64_t i = b; i < e; ++i)
    if (py_eq(items[static_cast<size_t>(i)], x)) return i;
  return -1;
}

void sort_values(Runtime& rt, std::vector<Value>& items, const Value& key, bool reverse) {
  std::vector<Value> keys;
  if (!key.is_none()) {
    for (const auto& it : items) {
      CallArgs a;
      a.pos.push_back(it);
      keys.push_back(rt.call(key, a));
    }
  } else {
    keys = items;
  }
  std::vector<size_t> idx(items.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
    return reverse ? py_cmp(keys[y], keys[x], "<") == -1 : py_cmp(keys[x], keys[y], "<") == -1;
  });
  std::vector<Value> sorted;
  sorted.reserve(items.size());
  for (size_t i : idx) sorted.push_back(items[i]);
  items = std::move(sorted);
}

Value call_list_method(Runtime& rt, const Value& self, std::string_view name, CallArgs& args) {
  auto& items = self.seq().items;
  if (name == "count") {
    ArgBinder a(name, args, {"value"}, 1);
    int64_t c = 0;
    for (const auto& it : items)
      if (py_eq(it, a.get(0))) ++c;
    return Value(c);
  }
  if (name == "index") {
    ArgBinder a(name, args, {"value", "start", "stop"}, 1);
    int64_t i = list_index(items, a.get(0), a.get(1), a.get(2));
    if (i < 0)
      throw ValueErr(self.is_tuple() ? "tuple.index(x): x not in tuple"
                                     : py_repr(a.get(0)) + " is not in list");
    return Value(i);
  }
  if (self.is_tuple()) throw TypeErr("tuple has no method " + std::string(name));
  if (name == "append") {
    ArgBinder a(name, args, {"object"}, 1);
    items.push_back(a.get(0));
    return Value::none();
  }
  if (name == "extend") {
    ArgBinder a(name, args, {"iterable"}, 1);
    std::vector<Value> more = py_iter(a.get(0), &rt);
    items.insert(items.end(), more.begin(), more.end());
    return Value::none();
  }
  if (name == "insert") {
    ArgBinder a(name, args, {"index", "object"}, 2);
    int64_t n = static_cast<int64_t>(items.size());
    int64_t i = int_arg(a.get(0), "");
    if (i < 0) i = std::max<int64_t>(0, i + n);
    if (i > n) i = n;
    items.insert(items.begin() + i, a.get(1));
    return Value::none();
  }
  if (name == "pop") {
    ArgBinder a(name, args, {"index"});
    if (items.empty()) throw EvalError("pop from empty list");
    int64_t n = static_cast<int64_t>(items.size());
    int64_t i = a.has(0) ? int_arg(a.get(0), "") : n - 1;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw IndexErr("pop index out of range");
    Value v = items[static_cast<size_t>(i)];
    items.erase(items.begin() + i);
    return v;
  }
  if (name == "remove") {
    ArgBinder a(name, args, {"value"}, 1);
    for (auto it = items.begin(); it != items.end(); ++it) {
      if (py_eq(*it, a.get(0))) {
        items.erase(it);
        return Value::none();
      }
    }
    throw ValueErr("list.remove(x): x not in list");
  }
  if (name == "clear") {
    ArgBinder a(name, args, {});
    items.clear();
    return Value::none();
  }
  if (name == "copy") {
    ArgBinder a(name, args, {});
    return Value::list(items);
  }
  if (name == "reverse") {
    ArgBinder a(name, args, {});
    std::reverse(items.begin(), items.end());
    return Value::none();
  }
  if (name == "sort") {
    ArgBinder a(name, args, {"key", "reverse"});
    std::vector<Value> copy = items;
    sort_values(rt, copy, a.get(0), py_truthy(a.get(1, Value(false))));
    items = std::move(copy);
    return Value::none();
  }
  throw TypeErr("list." + std::string(name) + "() is not supported");
}

Value call_dict_method(Runtime& rt, const Value& self, std::string_view name, CallArgs& args) {
  DictHeap& d = self.dict_ref();
  if (name == "keys" || name == "values" || name == "items") {
    ArgBinder a(name, args, {});
    std::vector<Value> out;
    out.reserve(d.size());
    for (const auto& [k, v] : d.entries) {
      if (name == "keys")
        out.push_back(k);
      else if (name == "values")
        out.push_back(v);
      else
        out.push_back(Value::tuple({k, v}));
    }
    SeqTag tag = name == "keys"     ? SeqTag::DictKeys
                 : name == "values" ? SeqTag::DictValues
                                    : SeqTag::DictItems;
    return Value::list(std::move(out), tag);
  }
  if (name == "get") {
    ArgBinder a(name, args, {"key", "default"}, 1);
    if (const Value* v = d.find(a.get(0))) return *v;
    return a.get(1);
  }
  if (name == "pop") {
    ArgBinder a(name, args, {"key", "default"}, 1);
    if (const Value* v = d.find(a.get(0))) {
      Value r = *v;
      d.erase(a.get(0));
      return r;
    }
    if (a.has(1)) return a.get(1);
    throw EvalError(py_repr(a.get(0)));
  }
  if (name == "popitem") {
    ArgBinder a(name, args, {});
    if (d.entries.empty()) throw EvalError("'popitem(): dictionary is empty'");
    auto last = d.entries.back();
    d.erase(last.first);
    return Value::tuple({last.first, last.second});
  }
  if (name == "setdefault") {
    ArgBinder a(name, args, {"key", "default"}, 1);
    if (const Value* v = d.find(a.get(0))) return *v;
    d.set(a.get(0), a.get(1));
    return a.get(1);
  }
  if (name == "update") {
    ArgBinder a(name, args, {"other"}, 0, false, true);
    if (a.has(0)) {
      Value other = a.get(0);
      if (other.is_dict()) {
        for (const auto& [k, v] : other.dict_ref().entries) d.set(k, v);
      } else {
        for (const auto& pair : py_iter(other, &rt)) {
          std::vector<Value> kv = py_iter(pair, &rt);
          if (kv.size() != 2)
            throw ValueErr("dictionary update sequence element has length " +
                           std::to_string(kv.size()) + "; 2 is required");
          d.set(kv[0], kv[1]);
        }
      }
    }
    for (const auto& [k, v] : a.extra_kw) d.set(Value(k), v);
    return Value::none();
  }
  if (name == "clear") {
    ArgBinder a(name, args, {});
    d.clear();
    return Value::none();
  }
  if (name == "copy") {
    ArgBinder a(name, args, {});
    Value c = Value::dict();
    for (const auto& [k, v] : d.entries) c.dict_ref().set(k, v);
    return c;
  }
  if (name == "fromkeys") {
    ArgBinder a(name, args, {"iterable", "value"}, 1);
    Value c = Value::dict();
    for (const auto& k : py_iter(a.get(0), &rt)) c.dict_ref().set(k, a.get(1));
    return c;
  }
  throw TypeErr("dict." + std::string(name) + "() is not supported");
}

}  // namespace

bool has_method(const Value& self, std::string_view name) {
  switch (self.kind()) {
    case Kind::String:
      return str_methods().count(name) || (self.safe() && markup_methods().count(name));
    case Kind::List: {
      SeqTag t = self.seq().tag;
      if (t == SeqTag::List) return list_methods().count(name) > 0;
      return false;
    }
    case Kind::Tuple:
      return tuple_methods().count(name) > 0;
    case Kind::Dict:
      return dict_methods().count(name) > 0;
    case Kind::Int:
    case Kind::Bool:
      return int_methods().count(name) > 0;
    case Kind::Float:
      return float_methods().count(name) > 0;
    default:
      return false;
  }
}

std::optional<Value> builtin_attribute(const Value& self, std::string_view name) {
  if (self.is_int() || self.is_bool()) {
    if (name == "real" || name == "numerator") return Value(self.as_int());
    if (name == "imag") return Value(int64_t{0});
    if (name == "denominator") return Value(int64_t{1});
  }
  if (self.is_float()) {
    if (name == "real") return self;
    if (name == "imag") return Value(0.0);
  }
  if (self.is_tuple() && self.seq().tag == SeqTag::Group && self.items().size() == 2) {
    if (name == "grouper") return self.items()[0];
    if (name == "list") return self.items()[1];
  }
  return std::nullopt;
}

Value call_method(Runtime& rt, const Value& self, std::string_view name, CallArgs& args) {
  switch (self.kind()) {
    case Kind::String:
      return call_str_method(rt, self, name, args);
    case Kind::List:
    case Kind::Tuple:
      return call_list_method(rt, self, name, args);
    case Kind::Dict:
      return call_dict_method(rt, self, name, args);
    case Kind::Int:
    case Kind::Bool: {
      ArgBinder a(name, args, {});
      int64_t v = self.as_int();
      if (name == "bit_length") {
        uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        int64_t bits = 0;
        while (m) {
          ++bits;
          m >>= 1;
        }
        return Value(bits);
      }
      if (name == "conjugate") return Value(v);
      return Value::tuple({Value(v), Value(int64_t{1})});
    }
    case Kind::Float: {
      ArgBinder a(name, args, {});
      double d = self.as_float();
      if (name == "is_integer") return Value(std::isfinite(d) && d == std::floor(d));
      if (name == "conjugate") return self;
      throw TypeErr("float.as_integer_ratio() is not supported");
    }
    default:
      throw TypeErr("'" + py_type_name(self) + "' object has no attribute '" + std::string(name) +
                    "'");
  }
}

// ---------------------------------------------------------------- str.format

std::string str_format(Runtime& rt, std::string_view fmt, const CallArgs& args) {
  std::string out;
  int auto_index = 0;
  enum { None, Auto, Manual } numbering = None;
  auto lookup_field = [&](std::string_view field) -> Value {
    // arg_name ('.' attr | '[' key ']')*
    size_t i = 0;
    while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
    std::string_view head = field.substr(0, i);
    Value v;
    bool numeric = !head.empty() && std::all_of(head.begin(), head.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (head.empty()) {
      if (numbering == Manual)
        throw ValueErr(
            "cannot switch from manual field specification to automatic field numbering");
      numbering = Auto;
      size_t idx = static_cast<size_t>(auto_index++);
      if (idx >= args.pos.size())
        throw IndexErr("Replacement index " + std::to_string(idx) +
                       " out of range for positional args tuple");
      v = args.pos[idx];
    } else if (numeric) {
      if (numbering == Auto)
        throw ValueErr(
            "cannot switch from automatic field numbering to manual field specification");
      numbering = Manual;
      size_t idx = std::stoul(std::string(head));
      if (idx >= args.pos.size())
        throw IndexErr("Replacement index " + std::to_string(idx) +
                       " out of range for positional args tuple");
      v = args.pos[idx];
    } else {
      bool found = false;
      for (const auto& [k, val] : args.kw) {
        if (k == head) {
          v = val;
          found = true;
        }
      }
      if (!found) throw EvalError(repr_string(head));
    }
    while (i < field.size()) {
      if (field[i] == '.') {
        size_t j = i + 1;
        while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
        std::string attr(field.substr(i + 1, j - i - 1));
        std::optional<Value> r;
        if (v.is_object())
          r = v.obj().get_attr(attr, rt);
        else
          r = builtin_attribute(v, attr);
        if (!r)
          throw EvalError("'" + py_type_name(v) + "' object has no attribute " + repr_string(attr));
        v = *r;
        i = j;
      } else {
        size_t j = field.find(']', i);
        if (j == std::string_view::npos) throw ValueErr("Missing ']' in format string");
        std::string key(field.substr(i + 1, j - i - 1));
        bool knum = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
        Value k = knum ? Value(static_cast<int64_t>(std::stoll(key))) : Value(key);
        if (v.is_dict()) {
          const Value* r = v.dict_ref().find(k);
          if (!r) throw EvalError(py_repr(k));
          v = *r;
        } else if (v.is_indexable() && knum) {
          size_t idx = static_cast<size_t>(k.as_int());
          if (idx >= v.items().size()) throw IndexErr("list index out of range");
          v = v.items()[idx];
        } else {
          throw TypeErr("'" + py_type_name(v) + "' object is not subscriptable");
        }
        i = j + 1;
      }
    }
    return v;
  };
  size_t i = 0;
  while (i < fmt.size()) {
    char c = fmt[i];
    if (c == '{') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
        out.push_back('{');
        i += 2;
        continue;
      }
      // find the matching '}' (the spec may hold one level of nested fields)
      size_t j = i + 1;
      int depth = 1;
      while (j < fmt.size()) {
        if (fmt[j] == '{')
          ++depth;
        else if (fmt[j] == '}' && --depth == 0)
          break;
        ++j;
      }
      if (j >= fmt.size()) throw ValueErr("expected '}' before end of string");
      std::string_view inner = fmt.substr(i + 1, j - i - 1);
      // field_name[!conv][:spec]
      size_t k = 0;
      while (k < inner.size() && inner[k] != '!' && inner[k] != ':') {
        if (inner[k] == '[') {
          size_t close = inner.find(']', k);
          k = close == std::string_view::npos ? inner.size() : close + 1;
        } else {
          ++k;
        }
      }
      std::string_view field = inner.substr(0, k);
      char conv = 0;
      std::string spec;
      if (k < inner.size() && inner[k] == '!') {
        if (k + 1 >= inner.size())
          throw ValueErr("end of string while looking for conversion specifier");
        conv = inner[k + 1];
        k += 2;
        if (k < inner.size() && inner[k] != ':')
          throw ValueErr("expected ':' after conversion specifier");
      }
      if (k < inner.size() && inner[k] == ':') {
        std::string_view raw = inner.substr(k + 1);
        if (raw.find('{') != std::string_view::npos)
          spec = str_format(rt, raw, args);
        else
          spec = std::string(raw);
      }
      Value v = lookup_field(field);
      if (conv == 'r' || conv == 'a')
        v = Value(py_repr(v));
      else if (conv == 's')
        v = Value(py_str(v));
      else if (conv)
        throw ValueErr(std::string("Unknown conversion specifier ") + conv);
      out += format_spec(v, spec);
      i = j + 1;
      continue;
    }
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out.push_back('}');
        i += 2;
        continue;
      }
      throw ValueErr("Single '}' encountered in format string");
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace lava::tmpl
