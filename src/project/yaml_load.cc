#include "project/yaml_load.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>
#include <regex>

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
    std::string part = s.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    value = value * 60 + std::stod(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (is_float) return sign * value;
  return static_cast<int64_t>(sign * value);
}

Json resolve_plain(const std::string& s) {
  // PyYAML picks implicit resolvers by the first character; a scalar starting with any
  // other is a string, which spares most scalars the regular expressions below.
  if (!s.empty() && std::string_view("~nNyYtTfFoO+-.0123456789").find(s[0]) == std::string_view::npos)
    return s;
  static const std::regex null_re(R"(^(~|null|Null|NULL|)$)");
  static const std::regex bool_true(R"(^(yes|Yes|YES|true|True|TRUE|on|On|ON)$)");
  static const std::regex bool_false(R"(^(no|No|NO|false|False|FALSE|off|Off|OFF)$)");
  static const std::regex int_bin(R"(^[-+]?0b[0-1_]+$)");
  static const std::regex int_oct(R"(^[-+]?0[0-7_]+$)");
  static const std::regex int_dec(R"(^[-+]?(0|[1-9][0-9_]*)$)");
  static const std::regex int_hex(R"(^[-+]?0x[0-9a-fA-F_]+$)");
  static const std::regex int_sexa(R"(^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$)");
  static const std::regex float_re(
      R"(^([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?)$)");
  static const std::regex float_sexa(R"(^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$)");
  static const std::regex float_inf(R"(^[-+]?\.(inf|Inf|INF)$)");
  static const std::regex float_nan(R"(^\.(nan|NaN|NAN)$)");

  if (std::regex_match(s, null_re)) return nullptr;
  if (std::regex_match(s, bool_true)) return true;
  if (std::regex_match(s, bool_false)) return false;
  try {
    auto signed_int = [&](const std::string& digits, int base) -> Json {
      std::string t = strip_underscores(digits);
      bool neg = false;
      if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        neg = t[0] == '-';
        t = t.substr(1);
      }
      if (base == 2) t = t.substr(2);
      if (base == 16) t = t.substr(2);
      int64_t v = static_cast<int64_t>(std::stoull(t, nullptr, base));
      return neg ? -v : v;
    };
    if (std::regex_match(s, int_bin)) return signed_int(s, 2);
    if (std::regex_match(s, int_hex)) return signed_int(s, 16);
    if (std::regex_match(s, int_oct) && s.find_first_not_of("+-0_") != std::string::npos)
      return signed_int(s, 8);
    if (std::regex_match(s, int_dec)) return signed_int(s, 10);
    if (std::regex_match(s, int_sexa)) return sexagesimal(s, false);
  } catch (const std::out_of_range&) {
    return s;  // beyond 64 bits: keep the text rather than a wrong number
  }
  if (std::regex_match(s, float_re) && s.find_first_of("0123456789") != std::string::npos) {
    return std::stod(strip_underscores(s));
  }
  if (std::regex_match(s, float_sexa)) return sexagesimal(s, true);
  if (std::regex_match(s, float_inf))
    return s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
  if (std::regex_match(s, float_nan)) return std::numeric_limits<double>::quiet_NaN();
  // A lone "0" matches int_dec above; "00" is octal zero.
  if (std::regex_match(s, int_oct)) return 0;
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
