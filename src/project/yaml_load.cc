#include "project/yaml_load.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

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

// YAML 1.1 sexagesimal ("1:30" is 90): PyYAML still honours it. Floats add the parts
// from the last one up as construct_yaml_float does (same rounding); integers are exact,
// and one beyond 64 bits keeps its text.
Json sexagesimal(const std::string& text, bool is_float) {
  std::string s = strip_underscores(text);
  bool neg = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') s.erase(0, 1);
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t colon = s.find(':', start);
    parts.push_back(s.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (is_float) {
    double value = 0, base = 1;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      value += std::strtod(it->c_str(), nullptr) * base;
      base *= 60;
    }
    return neg ? -value : value;
  }
  uint64_t value = 0;
  for (const auto& part : parts) {
    uint64_t digits = 0;
    for (char c : part) {
      if (digits > (std::numeric_limits<uint64_t>::max() - 9) / 10) return text;
      digits = digits * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > (std::numeric_limits<uint64_t>::max() - digits) / 60) return text;
    value = value * 60 + digits;
  }
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  if (value <= kMax) return neg ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  if (neg && value == kMax + 1) return std::numeric_limits<int64_t>::min();
  return text;
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

// A mapping key as the framework's dict sees it once stringified: str keys stay, True,
// False and None read as Python spells them, anything else as its JSON text.
std::string key_text(const Json& key) {
  if (key.is_string()) return key.get<std::string>();
  if (key.is_boolean()) return key.get<bool>() ? "True" : "False";
  if (key.is_null()) return "None";
  return key.dump();
}

std::string at(const std::string& source, const YAML::Mark& mark) {
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// Values aliases may copy into one document, in all.
constexpr size_t kMaxAliasNodes = 100'000;

// Builds the JSON value straight from yaml-cpp's parse events: no node graph to allocate,
// walk and free. Values come out as a YAML::Node walk would give them; an alias copies
// its anchor's value.
class JsonBuilder : public YAML::EventHandler {
 public:
  explicit JsonBuilder(const std::string& source) : source_(source) {}

  // The document's value; throws the first tag or alias problem, found once the whole
  // document parsed (syntax errors come first, as they would from YAML::Load).
  Json take_root() {
    if (!error_.empty()) throw Error(error_);
    return std::move(root_);
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { complete(nullptr, anchor, 1); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor < anchors_.size() && anchors_[anchor]) {
      // Each alias is a copy here (JSON values share nothing), so nested aliases can
      // multiply a tiny file into billions of values: stop at a bound no real
      // configuration comes near.
      const size_t nodes = anchor_nodes_[anchor];
      alias_nodes_ += nodes;
      if (alias_nodes_ > kMaxAliasNodes) {
        fail(at(source_, mark) + ": YAML aliases expand to more than " +
             std::to_string(kMaxAliasNodes) + " values (nested aliases multiply)");
        complete(nullptr, 0, 1);
        return;
      }
      complete(*anchors_[anchor], 0, nodes);
      return;
    }
    fail(at(source_, mark) + ": recursive YAML alias (an anchor used inside itself)");
    complete(nullptr, 0, 1);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {  // quoted or !!str
      complete(text, anchor, 1);
    } else if (tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
               tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
      complete(resolve_plain(text), anchor, 1);
    } else {
      fail(at(source_, mark) + ": unsupported YAML tag " + tag);
      complete(nullptr, anchor, 1);
    }
  }

  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    stack_.push_back(Frame{Json::array(), anchor, false, {}, 1});
  }
  void OnSequenceEnd() override { finish_collection(); }

  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    stack_.push_back(Frame{Json::object(), anchor, false, {}, 1});
  }
  void OnMapEnd() override { finish_collection(); }

 private:
  struct Frame {
    Json value;
    YAML::anchor_t anchor = 0;
    bool have_key = false;
    std::string key;
    size_t nodes = 1;  // values in this collection, itself included
  };

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  void finish_collection() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(frame.value), frame.anchor, frame.nodes);
  }

  // A finished value of `nodes` values joins its parent (or becomes the root).
  void complete(Json value, YAML::anchor_t anchor, size_t nodes) {
    if (anchor != 0) {
      if (anchors_.size() <= anchor) {
        anchors_.resize(anchor + 1);
        anchor_nodes_.resize(anchor + 1);
      }
      anchors_[anchor] = value;
      anchor_nodes_[anchor] = nodes;
    }
    if (!stack_.empty()) stack_.back().nodes += nodes;
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
    } else if (!parent.have_key) {
      parent.key = key_text(value);
      parent.have_key = true;
    } else {
      parent.value[parent.key] = std::move(value);
      parent.have_key = false;
    }
  }

  const std::string& source_;
  std::vector<Frame> stack_;
  std::vector<std::optional<Json>> anchors_;
  std::vector<size_t> anchor_nodes_;
  size_t alias_nodes_ = 0;  // values copied for aliases so far
  Json root_;  // null until a document gives a value: an empty document is null
  std::string error_;
};

}  // namespace

Json load_yaml(std::string_view text, const std::string& source) {
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    JsonBuilder builder(source);
    parser.HandleNextDocument(builder);  // like YAML::Load: the first document only
    return builder.take_root();
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg.empty() ? std::string(e.what()) : e.msg;
    if (e.mark.is_null()) throw Error(source + ": invalid YAML: " + msg);
    throw Error(at(source, e.mark) + ": invalid YAML: " + msg);
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
