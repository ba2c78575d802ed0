#include "notebook/nbformat_schema.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace lava::notebook {

namespace {

using json = nlohmann::json;

struct EmbeddedSchema {
  int minor;
  const char* text;
};

constexpr EmbeddedSchema kSchemas[] = {
#include "notebook/nbformat_schemas.inc"
};

size_t code_points(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The few regexes nbformat's schemas use, with fastjsonschema's reading of them: in
// "pattern", '$' is turned into \Z (true end of text); in "patternProperties" it is not.
bool pattern_matches(std::string_view pattern, const std::string& s) {
  if (pattern == "^[a-zA-Z0-9-_]+$") {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_';
    });
  }
  if (pattern == "^.+$") return !s.empty() && s.find('\n') == std::string::npos;
  if (pattern == "^[^,]+$") return !s.empty() && s.find(',') == std::string::npos;
  throw std::logic_error("nbformat schema uses an unsupported pattern: " + std::string(pattern));
}

bool property_pattern_matches(std::string_view pattern, const std::string& key) {
  if (pattern == ".*") return true;
  // ^.*$ : no newline, except one at the very end.
  if (pattern == "^.*$") {
    size_t nl = key.find('\n');
    return nl == std::string::npos || nl + 1 == key.size();
  }
  throw std::logic_error("nbformat schema uses an unsupported property pattern: " +
                         std::string(pattern));
}

// Python's == between JSON values, where True == 1 and False == 0.
bool python_equal(const json& a, const json& b) {
  if (a.is_boolean() && b.is_number()) return b == (a.get<bool>() ? 1 : 0);
  if (b.is_boolean() && a.is_number()) return a == (b.get<bool>() ? 1 : 0);
  return a == b;
}

bool has_type(const json& v, std::string_view type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  throw std::logic_error("nbformat schema uses an unknown type: " + std::string(type));
}

std::string article(std::string_view type) {
  if (type == "null") return "null";
  if (type == "integer" || type == "array" || type == "object") return "an " + std::string(type);
  return "a " + std::string(type);
}

// Where a value sits in the notebook, built only when a violation is reported.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // object member, or empty for an array index
  size_t index = 0;

  std::string str() const {
    if (parent == nullptr) return "";
    std::string up = parent->str();
    if (key.empty()) return up + "[" + std::to_string(index) + "]";
    return up.empty() ? std::string(key) : up + "." + std::string(key);
  }
};

// A schema node with its keywords looked up once ($refs resolved), so checking a
// notebook does no map lookups or allocations until a violation is found.
struct Node {
  std::vector<std::string> types;  // empty: any type
  const json* enum_values = nullptr;
  const Node* not_node = nullptr;
  std::vector<const Node*> one_of;
  std::optional<double> minimum, maximum;
  std::optional<size_t> min_length, max_length;
  std::string pattern;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, const Node*>> properties;
  std::vector<std::pair<std::string, const Node*>> pattern_properties;  // non-empty schemas
  const Node* items = nullptr;
  bool unique_items = false;
  // For oneOf diagnostics: the *_type property and the values this node is meant for.
  std::string discriminator;
  const json* discriminator_values = nullptr;
};

class CompiledSchema {
 public:
  explicit CompiledSchema(const char* text) : root_json_(json::parse(text)) {
    root_ = compile(root_json_);
  }
  const Node& root() const { return *root_; }

 private:
  const Node* compile(const json& schema) {
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      std::string r = ref->get<std::string>();
      if (r.rfind("#", 0) != 0) throw std::logic_error("nbformat schema has a remote $ref: " + r);
      return compile(root_json_.at(json::json_pointer(r.substr(1))));
    }
    if (auto done = compiled_.find(&schema); done != compiled_.end()) return done->second;
    nodes_.push_back(std::make_unique<Node>());
    Node& n = *nodes_.back();
    compiled_[&schema] = &n;
    if (auto t = schema.find("type"); t != schema.end()) {
      if (t->is_array()) {
        for (const auto& x : *t) n.types.push_back(x.get<std::string>());
      } else {
        n.types.push_back(t->get<std::string>());
      }
    }
    if (auto e = schema.find("enum"); e != schema.end()) n.enum_values = &*e;
    if (auto x = schema.find("not"); x != schema.end()) n.not_node = compile(*x);
    if (auto x = schema.find("oneOf"); x != schema.end())
      for (const auto& b : *x) n.one_of.push_back(compile(b));
    if (auto x = schema.find("minimum"); x != schema.end()) n.minimum = x->get<double>();
    if (auto x = schema.find("maximum"); x != schema.end()) n.maximum = x->get<double>();
    if (auto x = schema.find("minLength"); x != schema.end()) n.min_length = x->get<size_t>();
    if (auto x = schema.find("maxLength"); x != schema.end()) n.max_length = x->get<size_t>();
    if (auto x = schema.find("pattern"); x != schema.end()) {
      n.pattern = x->get<std::string>();
      pattern_matches(n.pattern, "");  // unsupported patterns fail here, not mid-check
    }
    if (auto x = schema.find("required"); x != schema.end())
      for (const auto& k : *x) n.required.push_back(k.get<std::string>());
    if (auto x = schema.find("properties"); x != schema.end()) {
      for (const auto& [key, sub] : x->items()) {
        n.properties.emplace_back(key, compile(sub));
        auto e = sub.find("enum");
        if (e != sub.end() && key.size() > 5 && key.substr(key.size() - 5) == "_type") {
          n.discriminator = key;
          n.discriminator_values = &*e;
        }
      }
    }
    if (auto x = schema.find("patternProperties"); x != schema.end()) {
      for (const auto& [pattern, sub] : x->items()) {
        if (sub.empty()) continue;  // {} accepts anything
        property_pattern_matches(pattern, "");
        n.pattern_properties.emplace_back(pattern, compile(sub));
      }
    }
    if (auto x = schema.find("items"); x != schema.end() && x->is_object()) n.items = compile(*x);
    if (auto x = schema.find("uniqueItems"); x != schema.end()) n.unique_items = x->get<bool>();
    return &n;
  }

  json root_json_;
  const Node* root_ = nullptr;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<const json*, const Node*> compiled_;
};

const CompiledSchema& schema_for(int minor) {
  static std::array<std::unique_ptr<CompiledSchema>, 6> cache;
  static std::mutex lock;
  std::lock_guard<std::mutex> guard(lock);
  size_t i = static_cast<size_t>(std::min(minor, 5));
  if (!cache[i]) {
    for (const auto& s : kSchemas)
      if (static_cast<size_t>(s.minor) == i) cache[i] = std::make_unique<CompiledSchema>(s.text);
  }
  return *cache[i];
}

std::string number_text(double x) {
  auto whole = static_cast<long long>(x);
  return static_cast<double>(whole) == x ? std::to_string(whole) : json(x).dump();
}

std::string describe_types(const std::vector<std::string>& types) {
  std::string want;
  for (size_t i = 0; i < types.size(); ++i) want += (i == 0 ? "" : " or ") + article(types[i]);
  return want;
}

// The violation of `n` by `v` at `path`, or nullopt.
std::optional<std::string> check(const Node& n, const json& v, const Path& path) {
  auto fail = [&](const std::string& what) {
    std::string where = path.str();
    return std::optional<std::string>((where.empty() ? "notebook" : where) + ": " + what);
  };
  if (!n.types.empty()) {
    bool numeric = false, boolean = false, ok = false;
    for (const auto& t : n.types) {
      numeric |= t == "integer" || t == "number";
      boolean |= t == "boolean";
      ok |= has_type(v, t);
    }
    if (numeric && !boolean && v.is_boolean()) ok = false;  // Python's bool is an int
    if (!ok) return fail("must be " + describe_types(n.types));
  }
  if (n.enum_values != nullptr && std::none_of(n.enum_values->begin(), n.enum_values->end(),
                                               [&](const json& x) { return python_equal(x, v); }))
    return fail("must be one of " + n.enum_values->dump() + ", not " + v.dump());
  if (n.not_node != nullptr && !check(*n.not_node, v, path)) return fail("must not be " + v.dump());
  if (!n.one_of.empty()) {
    int matched = 0;
    std::optional<std::string> intended;  // the error of the branch v says it is meant for
    for (const Node* b : n.one_of) {
      auto err = check(*b, v, path);
      if (!err) {
        ++matched;
      } else if (!intended && b->discriminator_values != nullptr && v.is_object()) {
        auto it = v.find(b->discriminator);
        if (it != v.end() &&
            std::any_of(b->discriminator_values->begin(), b->discriminator_values->end(),
                        [&](const json& x) { return python_equal(x, *it); }))
          intended = err;
      }
    }
    if (matched == 0 && intended) return intended;
    if (matched == 0 && v.is_object() && v.contains("output_type"))
      return fail("unknown output_type " + v["output_type"].dump());
    if (matched == 0) return fail("matches none of the allowed forms");
    if (matched > 1)
      return fail("matches " + std::to_string(matched) + " of the allowed forms, not exactly one");
  }
  if (v.is_number() || v.is_boolean()) {
    double x = v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<double>();
    if (n.minimum && x < *n.minimum) return fail("must be at least " + number_text(*n.minimum));
    if (n.maximum && x > *n.maximum) return fail("must be at most " + number_text(*n.maximum));
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (n.min_length && code_points(s) < *n.min_length)
      return fail("must be at least " + std::to_string(*n.min_length) + " characters long");
    if (n.max_length && code_points(s) > *n.max_length)
      return fail("must be at most " + std::to_string(*n.max_length) + " characters long");
    if (!n.pattern.empty() && !pattern_matches(n.pattern, s))
      return fail("must match " + json(n.pattern).dump());
  }
  if (v.is_object()) {
    for (const auto& k : n.required)
      if (!v.contains(k)) return fail("has no \"" + k + "\"");
    for (const auto& [key, sub] : n.properties) {
      auto it = v.find(key);
      if (it == v.end()) continue;
      if (auto err = check(*sub, *it, Path{&path, key})) return err;
    }
    for (const auto& [pattern, sub] : n.pattern_properties)
      for (const auto& [key, value] : v.items())
        if (property_pattern_matches(pattern, key))
          if (auto err = check(*sub, value, Path{&path, key})) return err;
  }
  if (v.is_array()) {
    if (n.items != nullptr)
      for (size_t i = 0; i < v.size(); ++i)
        if (auto err = check(*n.items, v[i], Path{&path, {}, i})) return err;
    if (n.unique_items)
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = i + 1; j < v.size(); ++j)
          if (python_equal(v[i], v[j])) return fail("holds " + v[i].dump() + " twice");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> nbformat_violation(const json& notebook, int minor) {
  if (minor < 0) return "nbformat_minor: no schema for nbformat 4." + std::to_string(minor);
  return check(schema_for(minor).root(), notebook, Path{});
}

}  // namespace lava::notebook
