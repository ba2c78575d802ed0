#include "template/pyformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

std::string_view strip_py_space(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e) {
    size_t i = b;
    char32_t c = pytext::next(s, i);
    if (!pytext::is_space(c)) break;
    b = i;
  }
  while (e > b) {
    size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t i = start;
    char32_t c = pytext::next(s, i);
    if (!pytext::is_space(c)) break;
    e = start;
  }
  return s.substr(b, e - b);
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Removes underscores that sit between two digits; nullopt if any other underscore.
std::optional<std::string> strip_underscores(std::string_view s, int base) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (i == 0 || i + 1 >= s.size()) return std::nullopt;
      if (digit_value(s[i - 1]) >= base || digit_value(s[i + 1]) >= base) return std::nullopt;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

std::optional<int64_t> parse_py_int(std::string_view text, int base) {
  std::string_view s = strip_py_space(text);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  auto has_prefix = [&](char p) {
    return s.size() >= 2 && s[0] == '0' && (s[1] == p || s[1] == p - 32);
  };
  if (base == 0) {
    if (has_prefix('x'))
      base = 16;
    else if (has_prefix('o'))
      base = 8;
    else if (has_prefix('b'))
      base = 2;
    else {
      base = 10;
      // "010" is not valid with base 0 (only zeros may lead).
      bool leading_zero = s[0] == '0';
      if (leading_zero)
        for (char c : s)
          if (c != '0' && c != '_') return std::nullopt;
    }
    if (base != 10) {
      s.remove_prefix(2);
      if (!s.empty() && s[0] == '_') s.remove_prefix(1);
    }
  } else if ((base == 16 && has_prefix('x')) || (base == 8 && has_prefix('o')) ||
             (base == 2 && has_prefix('b'))) {
    s.remove_prefix(2);
    if (!s.empty() && s[0] == '_') s.remove_prefix(1);
  }
  auto clean = strip_underscores(s, base);
  if (!clean || clean->empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : *clean) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
      throw EvalError("integer overflow (integers are 64-bit)");
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (neg) {
    if (v > uint64_t{1} << 63) throw EvalError("integer overflow (integers are 64-bit)");
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX))
    throw EvalError("integer overflow (integers are 64-bit)");
  return static_cast<int64_t>(v);
}

std::optional<double> parse_py_float(std::string_view text) {
  std::string_view s = strip_py_space(text);
  if (s.empty()) return std::nullopt;
  std::string body(s);
  std::string lower;
  for (char c : body)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string_view l = lower;
  bool neg = false;
  if (!l.empty() && (l[0] == '+' || l[0] == '-')) {
    neg = l[0] == '-';
    l.remove_prefix(1);
  }
  if (l == "inf" || l == "infinity") return neg ? -HUGE_VAL : HUGE_VAL;
  if (l == "nan") return neg ? -NAN : NAN;
  // Python accepts digits, one dot, an exponent, and underscores between digits.
  std::string clean;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '_') {
      if (i == 0 || i + 1 >= body.size() ||
          !std::isdigit(static_cast<unsigned char>(body[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(body[i + 1])))
        return std::nullopt;
      continue;
    }
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '+' || c == '-'))
      return std::nullopt;
    clean.push_back(c);
  }
  bool digit_seen = false;
  for (char c : clean) {
    if (c == 'e' || c == 'E') break;
    if (std::isdigit(static_cast<unsigned char>(c))) digit_seen = true;
  }
  if (!digit_seen) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  return d;
}

namespace {

struct Spec {
  char32_t fill = ' ';
  char align = 0;  // < > ^ = or 0
  char sign = 0;   // + - space or 0
  bool alt = false;
  bool zero = false;
  int width = -1;
  char grouping = 0;  // , _ or 0
  int precision = -1;
  char type = 0;
};

Spec parse_spec(std::string_view spec) {
  Spec s;
  size_t i = 0;
  auto is_align = [](char32_t c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  // fill+align: the fill may be any (UTF-8) character.
  if (!spec.empty()) {
    size_t j = 0;
    char32_t first = pytext::next(spec, j);
    if (j < spec.size() && is_align(static_cast<unsigned char>(spec[j]))) {
      s.fill = first;
      s.align = spec[j];
      i = j + 1;
    } else if (is_align(first)) {
      s.align = static_cast<char>(first);
      i = 1;
    }
  }
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) s.sign = spec[i++];
  if (i < spec.size() && spec[i] == 'z') ++i;
  if (i < spec.size() && spec[i] == '#') {
    s.alt = true;
    ++i;
  }
  if (i < spec.size() && spec[i] == '0') {
    s.zero = true;
    ++i;
  }
  int width = -1;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
    width = (width < 0 ? 0 : width) * 10 + (spec[i++] - '0');
    if (width > 100000) throw ValueErr("Too many decimal digits in format string");
  }
  s.width = width;
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) s.grouping = spec[i++];
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    int p = 0;
    bool any = false;
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
      p = p * 10 + (spec[i++] - '0');
      any = true;
      if (p > 100000) throw ValueErr("Too many decimal digits in format string");
    }
    if (!any) throw ValueErr("Format specifier missing precision");
    s.precision = p;
  }
  if (i < spec.size()) s.type = spec[i++];
  if (i < spec.size()) throw ValueErr("Invalid format specifier");
  if (s.zero && !s.align) {
    s.fill = '0';
    s.align = '=';
  }
  return s;
}

std::string pad(std::string body, const Spec& s, char default_align, size_t sign_len = 0) {
  if (s.width < 0) return body;
  size_t len = pytext::length(body);
  if (len >= static_cast<size_t>(s.width)) return body;
  size_t n = static_cast<size_t>(s.width) - len;
  std::string fill;
  pytext::append(fill, s.fill);
  auto rep = [&](size_t k) {
    std::string r;
    for (size_t q = 0; q < k; ++q) r += fill;
    return r;
  };
  char align = s.align ? s.align : default_align;
  switch (align) {
    case '<':
      return body + rep(n);
    case '^':
      return rep(n / 2) + body + rep(n - n / 2);
    case '=':
      return body.substr(0, sign_len) + rep(n) + body.substr(sign_len);
    default:
      return rep(n) + body;
  }
}

std::string group_digits(const std::string& digits, char sep, int every) {
  std::string out;
  int count = 0;
  for (size_t i = digits.size(); i-- > 0;) {
    if (count > 0 && count % every == 0) out.push_back(sep);
    out.push_back(digits[i]);
    ++count;
  }
  return std::string(out.rbegin(), out.rend());
}

std::string sign_prefix(bool neg, char sign) {
  if (neg) return "-";
  if (sign == '+') return "+";
  if (sign == ' ') return " ";
  return "";
}

std::string format_int(int64_t v, const Spec& s) {
  if (s.precision >= 0) throw ValueErr("Precision not allowed in integer format specifier");
  bool neg = v < 0;
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits, prefix;
  char type = s.type ? s.type : 'd';
  if (type == 'c') {
    std::string out;
    pytext::append(out, static_cast<char32_t>(v));
    return pad(out, s, '<');
  }
  int base = 10;
  switch (type) {
    case 'b':
      base = 2;
      prefix = "0b";
      break;
    case 'o':
      base = 8;
      prefix = "0o";
      break;
    case 'x':
      base = 16;
      prefix = "0x";
      break;
    case 'X':
      base = 16;
      prefix = "0X";
      break;
    default:
      break;
  }
  // Least significant digit first, then reversed; built by appending only (GCC 12 at -O3
  // reports false -Wrestrict overlaps for inserts at the front and for operator+ chains).
  do {
    int d = static_cast<int>(mag % static_cast<uint64_t>(base));
    digits.push_back(static_cast<char>(d < 10 ? '0' + d : (type == 'X' ? 'A' : 'a') + d - 10));
    mag /= static_cast<uint64_t>(base);
  } while (mag > 0);
  std::reverse(digits.begin(), digits.end());
  if (s.grouping) digits = group_digits(digits, s.grouping, base == 10 ? 3 : 4);
  std::string head = sign_prefix(neg, s.sign);
  if (s.alt) head.append(prefix);
  size_t head_size = head.size();
  head.append(digits);
  return pad(head, s, '>', head_size);
}

std::string cformat_double(double d, char type, int precision, bool alt) {
  char fmt[16];
  std::snprintf(fmt, sizeof fmt, "%%%s.%d%c", alt ? "#" : "", precision, type);
  int n = std::snprintf(nullptr, 0, fmt, d);
  std::string out(static_cast<size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, fmt, d);
  return out;
}

std::string format_float(double v, const Spec& s) {
  char type = s.type;
  bool neg = std::signbit(v) && !std::isnan(v);
  double mag = std::fabs(v);
  std::string body;
  if (type == 'n') type = 'g';
  if (type == 0 && s.precision < 0) {
    body = float_repr(mag);
  } else if (type == 0) {
    // Like 'g' but keeps at least one digit after the point in fixed notation.
    int p = s.precision == 0 ? 1 : s.precision;
    body = cformat_double(mag, 'g', p, s.alt);
    if (std::isfinite(mag) && body.find_first_of(".e") == std::string::npos) body += ".0";
  } else if (type == '%') {
    body = cformat_double(mag * 100, 'f', s.precision < 0 ? 6 : s.precision, s.alt) + "%";
  } else if (type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g' ||
             type == 'G') {
    body = cformat_double(mag, type, s.precision < 0 ? 6 : s.precision, s.alt);
  } else {
    throw ValueErr(std::string("Unknown format code '") + type + "' for object of type 'float'");
  }
  if (std::isinf(mag) || std::isnan(mag)) {
    bool upper = type == 'E' || type == 'F' || type == 'G';
    body = std::isnan(mag) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    if (type == '%') body += "%";
  }
  if (s.grouping) {
    size_t end = body.find_first_of(".e%");
    if (end == std::string::npos) end = body.size();
    body = group_digits(body.substr(0, end), s.grouping, 3) + body.substr(end);
  }
  std::string head = sign_prefix(neg, s.sign);
  return pad(head + body, s, '>', head.size());
}

}  // namespace

std::string format_spec(const Value& v, std::string_view spec) {
  if (spec.empty()) return py_str(v);
  if (v.is_undefined()) return pad("", parse_spec(spec), '<');
  Spec s = parse_spec(spec);
  if (v.is_string()) {
    if (s.type && s.type != 's')
      throw ValueErr(std::string("Unknown format code '") + s.type + "' for object of type 'str'");
    if (s.sign) throw ValueErr("Sign not allowed in string format specifier");
    if (s.align == '=') throw ValueErr("'=' alignment not allowed in string format specifier");
    std::string body = v.str();
    if (s.precision >= 0 && pytext::length(body) > static_cast<size_t>(s.precision)) {
      size_t i = 0;
      for (int k = 0; k < s.precision; ++k) pytext::next(body, i);
      body.resize(i);
    }
    return pad(body, s, '<');
  }
  if (v.is_int() || v.is_bool()) {
    switch (s.type) {
      case 0:
      case 'd':
      case 'b':
      case 'o':
      case 'x':
      case 'X':
      case 'c':
      case 'n':
        return format_int(v.as_int(), s);
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case '%':
        return format_float(v.as_float(), s);
      default:
        throw ValueErr(std::string("Unknown format code '") + s.type + "' for object of type '" +
                       py_type_name(v) + "'");
    }
  }
  if (v.is_float()) return format_float(v.as_float(), s);
  throw TypeErr("unsupported format string passed to " + py_type_name(v) + ".__format__");
}

std::string percent_format(std::string_view fmt, const Value& args) {
  std::vector<Value> positional;
  bool single = false;
  if (args.is_tuple()) {
    positional = args.items();
  } else {
    positional.push_back(args);
    single = true;
  }
  const DictHeap* mapping = (args.is_dict()) ? &args.dict_ref() : nullptr;
  size_t next_arg = 0;
  bool used_mapping = false;
  std::string out;
  auto take = [&]() -> const Value& {
    if (next_arg >= positional.size()) throw TypeErr("not enough arguments for format string");
    return positional[next_arg++];
  };
  size_t i = 0;
  while (i < fmt.size()) {
    char c = fmt[i];
    if (c != '%') {
      out.push_back(c);
      ++i;
      continue;
    }
    ++i;
    if (i >= fmt.size()) throw ValueErr("incomplete format");
    const Value* arg = nullptr;
    Value keyed;
    if (fmt[i] == '(') {
      if (!mapping) throw TypeErr("format requires a mapping");
      int depth = 1;
      size_t start = ++i;
      while (i < fmt.size() && depth > 0) {
        if (fmt[i] == '(')
          ++depth;
        else if (fmt[i] == ')')
          --depth;
        ++i;
      }
      if (depth > 0) throw ValueErr("incomplete format key");
      std::string key(fmt.substr(start, i - 1 - start));
      const Value* found = mapping->find(std::string_view(key));
      if (!found) throw EvalError(repr_string(key));
      keyed = *found;
      arg = &keyed;
      used_mapping = true;
    }
    Spec s;
    std::string flags;
    while (i < fmt.size() && std::strchr("-+ #0", fmt[i])) flags.push_back(fmt[i++]);
    bool left = flags.find('-') != std::string::npos;
    bool zero = flags.find('0') != std::string::npos && !left;
    bool alt = flags.find('#') != std::string::npos;
    char sign = flags.find('+') != std::string::npos   ? '+'
                : flags.find(' ') != std::string::npos ? ' '
                                                       : 0;
    int width = -1, precision = -1;
    if (i < fmt.size() && fmt[i] == '*') {
      ++i;
      const Value& w = take();
      if (!w.is_int()) throw TypeErr("* wants int");
      width = static_cast<int>(w.as_int());
      if (width < 0) {
        left = true;
        width = -width;
      }
    } else {
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
        width = (width < 0 ? 0 : width) * 10 + (fmt[i++] - '0');
        if (width > 100000) throw ValueErr("width too big");
      }
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      precision = 0;
      if (i < fmt.size() && fmt[i] == '*') {
        ++i;
        const Value& p = take();
        if (!p.is_int()) throw TypeErr("* wants int");
        precision = static_cast<int>(std::max<int64_t>(0, p.as_int()));
      } else {
        while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
          precision = precision * 10 + (fmt[i++] - '0');
          if (precision > 100000) throw ValueErr("precision too big");
        }
      }
    }
    while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) throw ValueErr("incomplete format");
    char conv = fmt[i++];
    if (conv == '%') {
      out.push_back('%');
      continue;
    }
    if (!arg) arg = &take();
    std::string body;
    size_t sign_len = 0;
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        body = conv == 's' ? py_str(*arg) : py_repr(*arg);
        if (precision >= 0 && pytext::length(body) > static_cast<size_t>(precision)) {
          size_t k = 0;
          for (int q = 0; q < precision; ++q) pytext::next(body, k);
          body.resize(k);
        }
        zero = false;
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        int64_t n;
        if (arg->is_int() || arg->is_bool()) {
          n = arg->as_int();
        } else if (arg->is_float() && (conv == 'd' || conv == 'i' || conv == 'u')) {
          n = py_int(*arg);
        } else if (arg->is_undefined()) {
          fail_undefined(*arg);
        } else if (conv == 'd' || conv == 'i' || conv == 'u') {
          throw TypeErr(std::string("%") + conv + " format: a real number is required, not " +
                        py_type_name(*arg));
        } else {
          throw TypeErr(std::string("%") + conv + " format: an integer is required, not " +
                        py_type_name(*arg));
        }
        bool neg = n < 0;
        uint64_t mag = neg ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
        char buf[80];
        const char* f = conv == 'x' ? "%llx" : conv == 'X' ? "%llX" : conv == 'o' ? "%llo" : "%llu";
        std::snprintf(buf, sizeof buf, f, static_cast<unsigned long long>(mag));
        std::string digits = buf;
        if (precision >= 0 && digits.size() < static_cast<size_t>(precision))
          digits.insert(0, static_cast<size_t>(precision) - digits.size(), '0');
        std::string head = sign_prefix(neg, sign);
        if (alt && conv == 'o') head += "0o";
        if (alt && conv == 'x') head += "0x";
        if (alt && conv == 'X') head += "0X";
        body = head + digits;
        sign_len = head.size();
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        double d;
        if (arg->is_number())
          d = arg->as_float();
        else if (arg->is_undefined())
          fail_undefined(*arg);
        else
          throw TypeErr("must be real number, not " + py_type_name(*arg));
        bool neg = std::signbit(d) && !std::isnan(d);
        std::string mag = cformat_double(std::fabs(d), conv, precision < 0 ? 6 : precision, alt);
        std::string head = sign_prefix(neg, sign);
        body = head + mag;
        sign_len = head.size();
        if (!std::isfinite(d)) zero = false;
        break;
      }
      case 'c': {
        if (arg->is_int()) {
          pytext::append(body, static_cast<char32_t>(arg->as_int()));
        } else if (arg->is_string() && pytext::length(arg->str()) == 1) {
          body = arg->str();
        } else {
          throw TypeErr("%c requires int or char");
        }
        zero = false;
        break;
      }
      default: {
        char buf[128];
        std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu",
                      conv, static_cast<unsigned>(static_cast<unsigned char>(conv)), i - 1);
        throw ValueErr(buf);
      }
    }
    s.width = width;
    s.align = left ? '<' : (zero ? '=' : '>');
    s.fill = zero ? '0' : ' ';
    out += pad(body, s, '>', sign_len);
  }
  if (!used_mapping && !mapping && next_arg < positional.size() &&
      !(single && positional.size() == 1 && next_arg == 1))
    throw TypeErr("not all arguments converted during string formatting");
  if (!used_mapping && single && next_arg == 0 && !mapping && !args.is_list()) {
    // "abc" % x with no conversions: Python raises unless x is a mapping/empty tuple.
    throw TypeErr("not all arguments converted during string formatting");
  }
  return out;
}

}  // namespace lava::tmpl
