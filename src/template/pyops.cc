#include "template/pyops.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>

#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyformat.h"

namespace lava::tmpl {

namespace {

// Guards recursive container operations against cycles and absurd nesting.
constexpr int kMaxNesting = 400;
thread_local std::vector<const Heap*> repr_stack;
thread_local int nesting = 0;

struct NestGuard {
  NestGuard() {
    if (++nesting > kMaxNesting) {
      --nesting;
      throw EvalError("maximum recursion depth exceeded");
    }
  }
  ~NestGuard() { --nesting; }
};

void hex_escape(std::string& out, char32_t c) {
  char buf[16];
  if (c < 0x100)
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
  else if (c < 0x10000)
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
  else
    std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
  out += buf;
}

void repr_string_to(std::string& out, std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  out.push_back(quote);
  size_t i = 0;
  while (i < s.size()) {
    unsigned char b = s[i];
    if (b >= 0x20 && b < 0x7F) {
      if (b == '\\' || b == static_cast<unsigned char>(quote)) out.push_back('\\');
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    char32_t c = pytext::next(s, i);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (pytext::is_printable(c)) {
      pytext::append(out, c);
    } else {
      hex_escape(out, c);
    }
  }
  out.push_back(quote);
}

bool seq_in_progress(const Heap* h) {
  for (const Heap* p : repr_stack)
    if (p == h) return true;
  return false;
}

struct ReprEnter {
  explicit ReprEnter(const Heap* h) { repr_stack.push_back(h); }
  ~ReprEnter() { repr_stack.pop_back(); }
};

void seq_repr_to(std::string& out, const Value& v) {
  const ListHeap& l = v.seq();
  bool tuple = v.is_tuple();
  const char* prefix = "";
  switch (l.tag) {
    case SeqTag::DictKeys:
      prefix = "dict_keys(";
      break;
    case SeqTag::DictValues:
      prefix = "dict_values(";
      break;
    case SeqTag::DictItems:
      prefix = "dict_items(";
      break;
    default:
      break;
  }
  if (l.tag == SeqTag::Generator) {
    out += "<generator object>";
    return;
  }
  if (seq_in_progress(&l)) {
    out += tuple ? "(...)" : "[...]";
    return;
  }
  NestGuard guard;
  ReprEnter enter(&l);
  out += prefix;
  out.push_back(tuple ? '(' : '[');
  bool first = true;
  for (const auto& item : l.items) {
    if (!first) out += ", ";
    first = false;
    py_repr_to(out, item);
  }
  if (tuple && l.items.size() == 1) out.push_back(',');
  out.push_back(tuple ? ')' : ']');
  if (*prefix) out.push_back(')');
}

void dict_repr_to(std::string& out, const Value& v) {
  const DictHeap& d = v.dict_ref();
  if (seq_in_progress(&d)) {
    out += "{...}";
    return;
  }
  NestGuard guard;
  ReprEnter enter(&d);
  if (d.environ) out += "environ(";
  out.push_back('{');
  bool first = true;
  for (const auto& [k, val] : d.entries) {
    if (!first) out += ", ";
    first = false;
    py_repr_to(out, k);
    out += ": ";
    py_repr_to(out, val);
  }
  out.push_back('}');
  if (d.environ) out.push_back(')');
}

[[noreturn]] void unsupported(const char* op, const Value& a, const Value& b) {
  throw TypeErr(std::string("unsupported operand type(s) for ") + op + ": '" + py_type_name(a) +
                "' and '" + py_type_name(b) + "'");
}

bool is_intlike(const Value& v) {
  return v.is_int() || v.is_bool();
}

// Compares an int with a float exactly (as Python does).
int cmp_int_float(int64_t i, double f) {
  if (std::isnan(f)) return 2;
  if (f >= 9223372036854775808.0) return -1;
  if (f < -9223372036854775808.0) return 1;
  double fl = std::floor(f);
  auto fi = static_cast<int64_t>(fl);
  if (i < fi) return -1;
  if (i > fi) return 1;
  return fl == f ? 0 : -1;
}

int cmp_numbers(const Value& a, const Value& b) {
  if (is_intlike(a) && is_intlike(b)) {
    int64_t x = a.as_int(), y = b.as_int();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (is_intlike(a)) return cmp_int_float(a.as_int(), b.as_float());
  if (is_intlike(b)) {
    int r = cmp_int_float(b.as_int(), a.as_float());
    return r == 2 ? 2 : -r;
  }
  double x = a.as_float(), y = b.as_float();
  if (std::isnan(x) || std::isnan(y)) return 2;
  return x < y ? -1 : x > y ? 1 : 0;
}

size_t hash_int(int64_t i) {
  return std::hash<int64_t>{}(i);
}

Value repeat_seq(const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  if (seq.is_string()) {
    const std::string& s = seq.str();
    if (n > 0 && s.size() > (size_t{64} << 20) / static_cast<size_t>(n))
      throw EvalError("string repetition result too large");
    std::string out;
    out.reserve(s.size() * static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out += s;
    return Value(std::move(out), seq.safe());
  }
  const auto& items = seq.items();
  if (n > 0 && items.size() > (size_t{8} << 20) / static_cast<size_t>(n))
    throw EvalError("sequence repetition result too large");
  std::vector<Value> out;
  out.reserve(items.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), items.begin(), items.end());
  return seq.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
}

double py_fmod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0) {
    if ((b < 0) != (r < 0)) r += b;
  } else {
    r = std::copysign(0.0, b);
  }
  return r;
}

double py_float_floordiv(double a, double b) {
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
  double floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  return floordiv;
}

}  // namespace

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw EvalError("integer overflow (integers are 64-bit)");
  return r;
}
int64_t checked_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) throw EvalError("integer overflow (integers are 64-bit)");
  return r;
}
int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw EvalError("integer overflow (integers are 64-bit)");
  return r;
}

std::string repr_string(std::string_view s) {
  std::string out;
  repr_string_to(out, s);
  return out;
}

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool neg = sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos))
    if (c != '.') digits.push_back(c);
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  std::string out = neg ? "-" : "";
  if (exp >= 16 || exp < -4) {
    out += digits[0];
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int ae = exp < 0 ? -exp : exp;
    if (ae < 10) out.push_back('0');
    out += std::to_string(ae);
    return out;
  }
  int decpt = exp + 1;
  if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (static_cast<size_t>(decpt) >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(decpt) - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<size_t>(decpt));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(decpt));
  }
  return out;
}

void py_str_to(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      return;
    case Kind::String:
      out += v.str();
      return;
    case Kind::None:
      out += "None";
      return;
    case Kind::Bool:
      out += v.as_bool() ? "True" : "False";
      return;
    case Kind::Int: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, r.ptr);
      return;
    }
    case Kind::Float:
      out += float_repr(v.as_float());
      return;
    case Kind::List:
    case Kind::Tuple:
      seq_repr_to(out, v);
      return;
    case Kind::Dict:
      dict_repr_to(out, v);
      return;
    case Kind::Object:
      out += v.obj().str();
      return;
  }
}

std::string py_str(const Value& v) {
  if (v.is_string()) return v.str();
  std::string out;
  py_str_to(out, v);
  return out;
}

void py_repr_to(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      out += "Undefined";
      return;
    case Kind::String:
      if (v.safe()) {
        out += "Markup(";
        repr_string_to(out, v.str());
        out += ")";
      } else {
        repr_string_to(out, v.str());
      }
      return;
    case Kind::Object:
      out += v.obj().repr();
      return;
    default:
      py_str_to(out, v);
      return;
  }
}

std::string py_repr(const Value& v) {
  std::string out;
  py_repr_to(out, v);
  return out;
}

bool py_truthy(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      return false;
    case Kind::None:
      return false;
    case Kind::Bool:
      return v.as_bool();
    case Kind::Int:
      return v.as_int() != 0;
    case Kind::Float:
      return v.as_float() != 0.0;
    case Kind::String:
      return !v.str().empty();
    case Kind::List:
    case Kind::Tuple:
      return v.seq().tag == SeqTag::Generator || !v.items().empty();
    case Kind::Dict:
      return v.dict_ref().size() != 0;
    case Kind::Object:
      return v.obj().truthy();
  }
  return false;
}

bool py_eq(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return cmp_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Undefined:
    case Kind::None:
      return true;
    case Kind::String:
      return a.str() == b.str();
    case Kind::List:
    case Kind::Tuple: {
      if (a.heap() == b.heap()) return true;
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      NestGuard guard;
      for (size_t i = 0; i < x.size(); ++i)
        if (!py_eq(x[i], y[i])) return false;
      return true;
    }
    case Kind::Dict: {
      if (a.heap() == b.heap()) return true;
      const auto& x = a.dict_ref();
      const auto& y = b.dict_ref();
      if (x.size() != y.size()) return false;
      NestGuard guard;
      for (const auto& [k, val] : x.entries) {
        const Value* other = y.find(k);
        if (!other || !py_eq(val, *other)) return false;
      }
      return true;
    }
    case Kind::Object:
      return a.obj().equals(b.obj());
    default:
      return false;
  }
}

int py_cmp(const Value& a, const Value& b, const char* op) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) return cmp_numbers(a, b);
  if (a.is_string() && b.is_string()) {
    int c = a.str().compare(b.str());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if ((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) {
    const auto& x = a.items();
    const auto& y = b.items();
    NestGuard guard;
    size_t n = std::min(x.size(), y.size());
    for (size_t i = 0; i < n; ++i) {
      if (!py_eq(x[i], y[i])) return py_cmp(x[i], y[i], op);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  throw TypeErr(std::string("'") + op + "' not supported between instances of '" + py_type_name(a) +
                "' and '" + py_type_name(b) + "'");
}

size_t py_hash(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      return 0x5bd1e995;
    case Kind::None:
      return 0x9e3779b9;
    case Kind::Bool:
    case Kind::Int:
      return hash_int(v.as_int());
    case Kind::Float: {
      double d = v.as_float();
      if (std::isfinite(d) && d == std::floor(d) && d >= -9.2e18 && d <= 9.2e18)
        return hash_int(static_cast<int64_t>(d));
      return std::hash<double>{}(d);
    }
    case Kind::String:
      return std::hash<std::string_view>{}(v.str());
    case Kind::Tuple: {
      NestGuard guard;
      size_t h = 0x345678;
      for (const auto& item : v.items()) h = h * 1000003 ^ py_hash(item);
      return h;
    }
    case Kind::List:
    case Kind::Dict:
      throw TypeErr("unhashable type: '" + py_type_name(v) + "'");
    case Kind::Object:
      return std::hash<const void*>{}(v.heap());
  }
  return 0;
}

std::string py_type_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      return "Undefined";
    case Kind::None:
      return "NoneType";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return v.safe() ? "Markup" : "str";
    case Kind::List:
      switch (v.seq().tag) {
        case SeqTag::DictKeys:
          return "dict_keys";
        case SeqTag::DictValues:
          return "dict_values";
        case SeqTag::DictItems:
          return "dict_items";
        case SeqTag::Generator:
          return "generator";
        default:
          return "list";
      }
    case Kind::Tuple:
      return "tuple";
    case Kind::Dict:
      return v.dict_ref().environ ? "_Environ" : "dict";
    case Kind::Object:
      return v.obj().type_name();
  }
  return "object";
}

std::string object_type_repr(const Value& v) {
  if (v.is_none()) return "None";
  if (v.is_undefined()) return "jinja2.runtime.Undefined object";
  if (v.is_string() && v.safe()) return "markupsafe.Markup object";
  if (v.is_dict() && v.dict_ref().environ) return "os._Environ object";
  if (v.is_object()) {
    std::string mod = v.obj().module_name();
    if (mod != "builtins") return mod + "." + v.obj().type_name() + " object";
  }
  return py_type_name(v) + " object";
}

void escape_html_to(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '"':
        out += "&#34;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string escape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  escape_html_to(out, s);
  return out;
}

Value escape_value(const Value& v) {
  if (v.is_string() && v.safe()) return v;
  return Value::markup(escape_html(py_str(v)));
}

Value soft_str(const Value& v) {
  if (v.is_string()) return v;
  return Value(py_str(v));
}

void fail_undefined(const Value& v) {
  throw UndefinedErr(v.undefined_message());
}

Value py_add(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b)) return Value(checked_add(a.as_int(), b.as_int()));
    return Value(a.as_float() + b.as_float());
  }
  if (a.is_string() && b.is_string()) {
    if (a.safe() || b.safe()) {
      std::string out = a.safe() ? a.str() : escape_html(a.str());
      if (b.safe())
        out += b.str();
      else
        escape_html_to(out, b.str());
      return Value::markup(std::move(out));
    }
    std::string out;
    out.reserve(a.str().size() + b.str().size());
    out += a.str();
    out += b.str();
    return Value(std::move(out));
  }
  if ((a.is_list() && b.is_list()) || (a.is_tuple() && b.is_tuple())) {
    std::vector<Value> out = a.items();
    out.insert(out.end(), b.items().begin(), b.items().end());
    return a.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
  }
  if (a.is_string() && !a.safe())
    throw TypeErr("can only concatenate str (not \"" + py_type_name(b) + "\") to str");
  if (a.is_list() && a.seq().tag == SeqTag::List)
    throw TypeErr("can only concatenate list (not \"" + py_type_name(b) + "\") to list");
  if (a.is_tuple())
    throw TypeErr("can only concatenate tuple (not \"" + py_type_name(b) + "\") to tuple");
  unsupported("+", a, b);
}

Value py_sub(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b)) return Value(checked_sub(a.as_int(), b.as_int()));
    return Value(a.as_float() - b.as_float());
  }
  unsupported("-", a, b);
}

Value py_mul(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b)) return Value(checked_mul(a.as_int(), b.as_int()));
    return Value(a.as_float() * b.as_float());
  }
  bool a_seq = a.is_string() || (a.is_seq() && a.seq().tag == SeqTag::List);
  bool b_seq = b.is_string() || (b.is_seq() && b.seq().tag == SeqTag::List);
  if (a_seq && is_intlike(b)) return repeat_seq(a, b.as_int());
  if (b_seq && is_intlike(a)) return repeat_seq(b, a.as_int());
  if (a_seq && b.is_float()) throw TypeErr("can't multiply sequence by non-int of type 'float'");
  if (b_seq && a.is_float()) throw TypeErr("can't multiply sequence by non-int of type 'float'");
  if (a_seq && !b_seq)
    throw TypeErr("can't multiply sequence by non-int of type '" + py_type_name(b) + "'");
  if (b_seq && !a_seq)
    throw TypeErr("can't multiply sequence by non-int of type '" + py_type_name(a) + "'");
  unsupported("*", a, b);
}

Value py_truediv(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    double y = b.as_float();
    if (y == 0)
      throw ZeroDivisionErr(is_intlike(a) && is_intlike(b) ? "division by zero"
                                                           : "float division by zero");
    return Value(a.as_float() / y);
  }
  unsupported("/", a, b);
}

Value py_floordiv(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b)) {
      int64_t x = a.as_int(), y = b.as_int();
      if (y == 0) throw ZeroDivisionErr("integer division or modulo by zero");
      if (x == std::numeric_limits<int64_t>::min() && y == -1)
        throw EvalError("integer overflow (integers are 64-bit)");
      int64_t q = x / y;
      if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
      return Value(q);
    }
    double y = b.as_float();
    if (y == 0) throw ZeroDivisionErr("float floor division by zero");
    return Value(py_float_floordiv(a.as_float(), y));
  }
  unsupported("//", a, b);
}

Value py_mod(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (a.is_string()) {
    if (a.safe()) {
      // Markup % args escapes the arguments.
      Value args = b;
      auto esc = [](const Value& v) {
        return v.is_string() || v.is_number() || v.is_none() ? escape_value(v) : v;
      };
      if (b.is_tuple()) {
        std::vector<Value> items;
        for (const auto& it : b.items()) items.push_back(esc(it));
        args = Value::tuple(std::move(items));
      } else if (!b.is_dict()) {
        args = esc(b);
      }
      return Value::markup(percent_format(a.str(), args));
    }
    return Value(percent_format(a.str(), b));
  }
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b)) {
      int64_t x = a.as_int(), y = b.as_int();
      if (y == 0) throw ZeroDivisionErr("integer modulo by zero");
      if (y == -1) return Value(int64_t{0});
      int64_t r = x % y;
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return Value(r);
    }
    double y = b.as_float();
    if (y == 0) throw ZeroDivisionErr("float modulo");
    return Value(py_fmod(a.as_float(), y));
  }
  unsupported("%", a, b);
}

Value py_pow(const Value& a, const Value& b) {
  if (a.is_undefined()) fail_undefined(a);
  if (b.is_undefined()) fail_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (is_intlike(a) && is_intlike(b) && b.as_int() >= 0) {
      int64_t base = a.as_int(), e = b.as_int(), r = 1;
      while (e > 0) {
        if (e & 1) r = checked_mul(r, base);
        e >>= 1;
        if (e > 0) base = checked_mul(base, base);
      }
      return Value(r);
    }
    double x = a.as_float(), y = b.as_float();
    if (x == 0 && y < 0) throw EvalError("0.0 cannot be raised to a negative power");
    if (x < 0 && y != std::floor(y))
      throw EvalError("complex results are not supported: negative number to a fractional power");
    double r = std::pow(x, y);
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
      throw EvalError("(34, 'Numerical result out of range')");
    return Value(r);
  }
  unsupported("** or pow()", a, b);
}

Value py_neg(const Value& a) {
  if (a.is_undefined()) fail_undefined(a);
  if (is_intlike(a)) return Value(checked_sub(0, a.as_int()));
  if (a.is_float()) return Value(-a.as_float());
  throw TypeErr("bad operand type for unary -: '" + py_type_name(a) + "'");
}

Value py_pos(const Value& a) {
  if (a.is_undefined()) fail_undefined(a);
  if (is_intlike(a)) return Value(a.as_int());
  if (a.is_float()) return a;
  throw TypeErr("bad operand type for unary +: '" + py_type_name(a) + "'");
}

bool py_contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Kind::Undefined:
      return false;
    case Kind::String:
      if (!item.is_string())
        throw TypeErr("'in <string>' requires string as left operand, not " + py_type_name(item));
      return container.str().find(item.str()) != std::string::npos;
    case Kind::List:
    case Kind::Tuple:
      for (const auto& x : container.items())
        if (py_eq(x, item)) return true;
      return false;
    case Kind::Dict:
      return container.dict_ref().find(item) != nullptr;
    case Kind::Object: {
      std::vector<Value> items;
      if (container.obj().iterate(items, nullptr)) {
        for (const auto& x : items)
          if (py_eq(x, item)) return true;
        return false;
      }
      break;
    }
    default:
      break;
  }
  throw TypeErr("argument of type '" + py_type_name(container) + "' is not iterable");
}

int64_t py_len(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      return 0;
    case Kind::String:
      return static_cast<int64_t>(v.str_heap().is_ascii() ? v.str().size()
                                                          : pytext::length(v.str()));
    case Kind::List:
    case Kind::Tuple:
      if (v.seq().tag == SeqTag::Generator) break;
      return static_cast<int64_t>(v.items().size());
    case Kind::Dict:
      return static_cast<int64_t>(v.dict_ref().size());
    case Kind::Object:
      if (auto n = v.obj().length()) return *n;
      break;
    default:
      break;
  }
  throw TypeErr("object of type '" + py_type_name(v) + "' has no len()");
}

bool py_iterable(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
    case Kind::String:
    case Kind::List:
    case Kind::Tuple:
    case Kind::Dict:
      return true;
    case Kind::Object: {
      std::vector<Value> tmp;
      return v.obj().iterate(tmp, nullptr);
    }
    default:
      return false;
  }
}

std::vector<Value> py_iter(const Value& v, Runtime* rt) {
  switch (v.kind()) {
    case Kind::Undefined:
      return {};
    case Kind::String: {
      std::vector<Value> out;
      const std::string& s = v.str();
      out.reserve(s.size());
      size_t i = 0;
      while (i < s.size()) {
        size_t start = i;
        pytext::next(s, i);
        out.emplace_back(Value(s.substr(start, i - start), v.safe()));
      }
      return out;
    }
    case Kind::List:
    case Kind::Tuple:
      return v.items();
    case Kind::Dict: {
      std::vector<Value> out;
      out.reserve(v.dict_ref().size());
      for (const auto& e : v.dict_ref().entries) out.push_back(e.first);
      return out;
    }
    case Kind::Object: {
      std::vector<Value> out;
      if (v.obj().iterate(out, rt)) return out;
      break;
    }
    default:
      break;
  }
  throw TypeErr("'" + py_type_name(v) + "' object is not iterable");
}

int64_t py_int(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      fail_undefined(v);
    case Kind::Bool:
    case Kind::Int:
      return v.as_int();
    case Kind::Float: {
      double d = v.as_float();
      if (std::isnan(d)) throw ValueErr("cannot convert float NaN to integer");
      if (std::isinf(d)) throw EvalError("cannot convert float infinity to integer");
      if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        throw EvalError("integer overflow (integers are 64-bit)");
      return static_cast<int64_t>(d);
    }
    case Kind::String: {
      auto r = parse_py_int(v.str(), 10);
      if (!r) throw ValueErr("invalid literal for int() with base 10: " + repr_string(v.str()));
      return *r;
    }
    default:
      throw TypeErr("int() argument must be a string, a bytes-like object or a real number, not '" +
                    py_type_name(v) + "'");
  }
}

double py_float(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      fail_undefined(v);
    case Kind::Bool:
    case Kind::Int:
    case Kind::Float:
      return v.as_float();
    case Kind::String: {
      auto r = parse_py_float(v.str());
      if (!r) throw ValueErr("could not convert string to float: " + repr_string(v.str()));
      return *r;
    }
    default:
      throw TypeErr("float() argument must be a string or a real number, not '" + py_type_name(v) +
                    "'");
  }
}

}  // namespace lava::tmpl
