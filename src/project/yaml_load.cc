#include "project/yaml_load.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "util/error.h"
#include "util/file_io.h"

namespace lava::project {

namespace {

std::string strip_underscores(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

// YAML 1.1 sexagesimal ("1:30" is 90): PyYAML still honours it.
Json sexagesimal(const std::string& text, bool is_float) {
  std::string s = strip_underscores(text);
  int sign = 1;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') sign = -1;
    s = s.substr(1);
  }
  double value = 0;
  size_t start = 0;
  while (true) {
    size_t colon = s.find(':', start);
    std::string part =
        s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    value = value * 60 + std::stod(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (is_float) return sign * value;
  return static_cast<int64_t>(sign * value);
}

// Hand-written matchers for PyYAML's implicit resolvers (resolver.py, YAML 1.1): the
// same languages as its regular expressions, without std::regex's cost on every number.
bool is_dec(char c) {
  return c >= '0' && c <= '9';
}
bool is_oct(char c) {
  return c >= '0' && c <= '7';
}
bool is_bin(char c) {
  return c == '0' || c == '1';
}
bool is_hex(char c) {
  return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Where [-+]? ends.
size_t after_sign(std::string_view s) {
  return !s.empty() && (s[0] == '-' || s[0] == '+');
}

// The end of a run of `digit` or '_' starting at i.
template <typename Digit>
size_t run_of(std::string_view s, size_t i, Digit digit) {
  while (i < s.size() && (digit(s[i]) || s[i] == '_')) ++i;
  return i;
}

// Matches one-or-more (:[0-5]?[0-9]) at i; returns the end, or npos when there is none.
size_t sexagesimal_groups(std::string_view s, size_t i) {
  size_t start = i;
  while (i < s.size() && s[i] == ':') {
    size_t d = i + 1;
    if (d + 1 < s.size() && s[d] >= '0' && s[d] <= '5' && is_dec(s[d + 1]))
      i = d + 2;
    else if (d < s.size() && is_dec(s[d]))
      i = d + 1;
    else
      break;  // ':' without a digit: the group (and the whole match) fails here
  }
  return i == start ? std::string_view::npos : i;
}

enum class IntForm { kNone, kBin, kOct, kDec, kHex, kSexagesimal };

// ^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
//    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$
IntForm int_form(std::string_view s) {
  size_t i = after_sign(s);
  if (i >= s.size() || !is_dec(s[i])) return IntForm::kNone;
  if (s[i] == '0') {
    if (i + 1 == s.size()) return IntForm::kDec;
    char c = s[i + 1];
    if (c == 'b' && i + 2 < s.size() && run_of(s, i + 2, is_bin) == s.size()) return IntForm::kBin;
    if (c == 'x' && i + 2 < s.size() && run_of(s, i + 2, is_hex) == s.size()) return IntForm::kHex;
    if (run_of(s, i + 1, is_oct) == s.size()) return IntForm::kOct;
    return IntForm::kNone;
  }
  size_t end = run_of(s, i + 1, is_dec);
  if (end == s.size()) return IntForm::kDec;
  if (sexagesimal_groups(s, end) == s.size()) return IntForm::kSexagesimal;
  return IntForm::kNone;
}

// (?:[eE][-+][0-9]+)? ending the text at i.
bool exponent_ends(std::string_view s, size_t i) {
  if (i == s.size()) return true;
  if ((s[i] != 'e' && s[i] != 'E') || i + 2 >= s.size() || (s[i + 1] != '-' && s[i + 1] != '+'))
    return false;
  for (size_t k = i + 2; k < s.size(); ++k)
    if (!is_dec(s[k])) return false;
  return true;
}

enum class FloatForm { kNone, kDecimal, kSexagesimal, kInf, kNan };

// ^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
//    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$
FloatForm float_form(std::string_view s) {
  size_t i = after_sign(s);
  if (i >= s.size()) return FloatForm::kNone;
  if (s[i] == '.') {
    std::string_view rest = s.substr(i + 1);
    if (rest == "inf" || rest == "Inf" || rest == "INF") return FloatForm::kInf;
    if (i == 0 && (rest == "nan" || rest == "NaN" || rest == "NAN")) return FloatForm::kNan;
    if (i == 0 && !rest.empty() && is_dec(rest[0]) && exponent_ends(s, run_of(s, 2, is_dec)))
      return FloatForm::kDecimal;
    return FloatForm::kNone;
  }
  if (!is_dec(s[i])) return FloatForm::kNone;
  size_t end = run_of(s, i + 1, is_dec);
  if (end < s.size() && s[end] == '.')
    return exponent_ends(s, run_of(s, end + 1, is_dec)) ? FloatForm::kDecimal : FloatForm::kNone;
  size_t groups = sexagesimal_groups(s, end);
  if (groups != std::string_view::npos && groups < s.size() && s[groups] == '.' &&
      run_of(s, groups + 1, is_dec) == s.size())
    return FloatForm::kSexagesimal;
  return FloatForm::kNone;
}

// PyYAML's construct_yaml_int for the bases above. Python integers have no limit; one
// beyond 64 bits keeps its text rather than becoming a wrong number.
Json integer(const std::string& text, IntForm form) {
  std::string t = strip_underscores(text);
  bool neg = !t.empty() && t[0] == '-';
  size_t i = after_sign(t);
  unsigned base = 10;
  if (form == IntForm::kBin || form == IntForm::kHex) {
    base = form == IntForm::kBin ? 2 : 16;
    i += 2;
  } else if (form == IntForm::kOct) {
    base = 8;
  }
  if (i == t.size()) return 0;  // "0_", "-0__": only the zero remains
  uint64_t magnitude = 0;
  for (; i < t.size(); ++i) {
    char c = t[i];
    unsigned digit = is_dec(c) ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / base) return text;
    magnitude = magnitude * base + digit;
  }
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  if (magnitude <= kMax)
    return neg ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  if (neg && magnitude == kMax + 1) return std::numeric_limits<int64_t>::min();
  return text;
}

Json resolve_plain(const std::string& s) {
  // PyYAML picks implicit resolvers by the first character; a scalar starting with any
  // other is a string.
  if (s.empty()) return nullptr;
  switch (s[0]) {
    case '~':
      return s.size() == 1 ? Json(nullptr) : Json(s);
    case 'n':
    case 'N':
      if (s == "null" || s == "Null" || s == "NULL") return nullptr;
      if (s == "no" || s == "No" || s == "NO") return false;
      return s;
    case 'y':
    case 'Y':
      if (s == "yes" || s == "Yes" || s == "YES") return true;
      return s;
    case 't':
    case 'T':
      if (s == "true" || s == "True" || s == "TRUE") return true;
      return s;
    case 'f':
    case 'F':
      if (s == "false" || s == "False" || s == "FALSE") return false;
      return s;
    case 'o':
    case 'O':
      if (s == "on" || s == "On" || s == "ON") return true;
      if (s == "off" || s == "Off" || s == "OFF") return false;
      return s;
    case '+':
    case '-':
    case '.':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      break;
    default:
      return s;
  }
  if (IntForm form = int_form(s); form != IntForm::kNone) {
    if (form == IntForm::kSexagesimal) return sexagesimal(s, false);
    return integer(s, form);
  }
  switch (float_form(s)) {
    case FloatForm::kDecimal:
      // strtod, like Python's float(), gives inf beyond the double range.
      return std::strtod(strip_underscores(s).c_str(), nullptr);
    case FloatForm::kSexagesimal:
      return sexagesimal(s, true);
    case FloatForm::kInf:
      return s[0] == '-' ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
    case FloatForm::kNan:
      return std::numeric_limits<double>::quiet_NaN();
    case FloatForm::kNone:
      break;
  }
  return s;
}

Json convert(const YAML::Node& node, const std::string& source) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      const std::string& text = node.Scalar();
      if (tag == "!" || tag == "tag:yaml.org,2002:str") return text;  // quoted or !!str
      if (tag == "?") return resolve_plain(text);
      if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
          tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null")
        return resolve_plain(text);
      auto mark = node.Mark();
      throw Error(source + ":" + std::to_string(mark.line + 1) + ":" +
                  std::to_string(mark.column + 1) + ": unsupported YAML tag " + tag);
    }
    case YAML::NodeType::Sequence: {
      Json arr = Json::array();
      for (const auto& item : node) arr.push_back(convert(item, source));
      return arr;
    }
    case YAML::NodeType::Map: {
      Json obj = Json::object();
      for (const auto& kv : node) {
        Json key = convert(kv.first, source);
        std::string k = key.is_string() ? key.get<std::string>() : key.dump();
        if (key.is_boolean()) k = key.get<bool>() ? "True" : "False";
        if (key.is_null()) k = "None";
        obj[k] = convert(kv.second, source);
      }
      return obj;
    }
  }
  return nullptr;
}

}  // namespace

Json load_yaml(std::string_view text, const std::string& source) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return convert(root, source);
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg.empty() ? std::string(e.what()) : e.msg;
    if (e.mark.is_null()) throw Error(source + ": invalid YAML: " + msg);
    throw Error(source + ":" + std::to_string(e.mark.line + 1) + ":" +
                std::to_string(e.mark.column + 1) + ": invalid YAML: " + msg);
  }
}

Json load_yaml_file(const std::string& path) {
  std::string text = read_file(path);
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".json") || ends_with(".jsn")) {
    try {
      return Json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(path + ": invalid JSON: " + e.what());
    }
  }
  return load_yaml(text, path);
}

}  // namespace lava::project
