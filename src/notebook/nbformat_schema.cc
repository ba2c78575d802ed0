#include "notebook/nbformat_schema.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

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

const json& schema_for(int minor) {
  static const std::array<json, 6> parsed = [] {
    std::array<json, 6> out;
    for (const auto& s : kSchemas) out[static_cast<size_t>(s.minor)] = json::parse(s.text);
    return out;
  }();
  return parsed[static_cast<size_t>(std::min(minor, 5))];
}

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

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  // The violation of `schema` by `v` at `path`, or nullopt.
  std::optional<std::string> check(const json& schema, const json& v,
                                   const std::string& path) const {
    if (auto ref = schema.find("$ref"); ref != schema.end()) return check(resolve(*ref), v, path);
    auto fail = [&](const std::string& what) {
      return std::optional<std::string>((path.empty() ? "notebook" : path) + ": " + what);
    };
    if (auto t = schema.find("type"); t != schema.end()) {
      std::vector<std::string> types;
      if (t->is_array()) {
        for (const auto& x : *t) types.push_back(x.get<std::string>());
      } else {
        types.push_back(t->get<std::string>());
      }
      bool numeric = std::any_of(types.begin(), types.end(), [](const std::string& x) {
        return x == "integer" || x == "number";
      });
      bool ok = std::any_of(types.begin(), types.end(),
                            [&](const std::string& x) { return has_type(v, x); });
      if (numeric && v.is_boolean() &&
          std::find(types.begin(), types.end(), "boolean") == types.end())
        ok = false;
      if (!ok) {
        std::string want;
        for (size_t i = 0; i < types.size(); ++i)
          want += (i == 0 ? "" : " or ") + article(types[i]);
        return fail("must be " + want);
      }
    }
    if (auto e = schema.find("enum"); e != schema.end()) {
      if (std::none_of(e->begin(), e->end(), [&](const json& x) { return python_equal(x, v); }))
        return fail("must be one of " + e->dump() + ", not " + v.dump());
    }
    if (auto n = schema.find("not"); n != schema.end()) {
      if (!check(*n, v, path)) return fail("must not be " + v.dump());
    }
    if (auto one = schema.find("oneOf"); one != schema.end()) {
      if (auto err = check_one_of(*one, v, path)) return err;
    }
    if (v.is_number() || v.is_boolean()) {
      double x = v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<double>();
      if (auto m = schema.find("minimum"); m != schema.end() && x < m->get<double>())
        return fail("must be at least " + m->dump());
      if (auto m = schema.find("maximum"); m != schema.end() && x > m->get<double>())
        return fail("must be at most " + m->dump());
    }
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      if (auto m = schema.find("minLength"); m != schema.end() && code_points(s) < m->get<size_t>())
        return fail("must be at least " + m->dump() + " characters long");
      if (auto m = schema.find("maxLength"); m != schema.end() && code_points(s) > m->get<size_t>())
        return fail("must be at most " + m->dump() + " characters long");
      if (auto p = schema.find("pattern");
          p != schema.end() && !pattern_matches(p->get<std::string>(), s))
        return fail("must match " + p->dump());
    }
    if (v.is_object()) {
      if (auto req = schema.find("required"); req != schema.end()) {
        for (const auto& k : *req)
          if (!v.contains(k.get<std::string>()))
            return fail("has no \"" + k.get<std::string>() + "\"");
      }
      if (auto props = schema.find("properties"); props != schema.end()) {
        for (const auto& [key, sub] : props->items()) {
          auto it = v.find(key);
          if (it == v.end()) continue;
          if (auto err = check(sub, *it, join(path, key))) return err;
        }
      }
      if (auto pats = schema.find("patternProperties"); pats != schema.end()) {
        for (const auto& [pattern, sub] : pats->items()) {
          if (sub.empty()) continue;  // {} accepts anything
          for (const auto& [key, value] : v.items())
            if (property_pattern_matches(pattern, key))
              if (auto err = check(sub, value, join(path, key))) return err;
        }
      }
    }
    if (v.is_array()) {
      if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
        for (size_t i = 0; i < v.size(); ++i)
          if (auto err = check(*items, v[i], path + "[" + std::to_string(i) + "]")) return err;
      }
      if (auto u = schema.find("uniqueItems"); u != schema.end() && u->get<bool>()) {
        for (size_t i = 0; i < v.size(); ++i)
          for (size_t j = i + 1; j < v.size(); ++j)
            if (python_equal(v[i], v[j])) return fail("holds " + v[i].dump() + " twice");
      }
    }
    return std::nullopt;
  }

 private:
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  const json& resolve(const json& ref) const {
    std::string r = ref.get<std::string>();
    if (r.rfind("#", 0) != 0) throw std::logic_error("nbformat schema has a remote $ref: " + r);
    return root_.at(json::json_pointer(r.substr(1)));
  }

  // Exactly one branch must hold. When none does, report the error of the branch the
  // value says it is meant for (its cell_type / output_type), which is what users need.
  std::optional<std::string> check_one_of(const json& branches, const json& v,
                                          const std::string& path) const {
    int matched = 0;
    std::optional<std::string> intended;
    for (const auto& b : branches) {
      auto err = check(b, v, path);
      if (!err) {
        ++matched;
      } else if (!intended && meant_for(b, v)) {
        intended = err;
      }
    }
    if (matched == 1) return std::nullopt;
    if (matched == 0 && intended) return intended;
    std::string where = path.empty() ? "notebook" : path;
    if (matched == 0) {
      if (v.is_object() && v.contains("output_type"))
        return where + ": unknown output_type " + v["output_type"].dump();
      return where + ": matches none of the allowed forms";
    }
    return where + ": matches " + std::to_string(matched) +
           " of the allowed forms, not exactly one";
  }

  bool meant_for(const json& branch, const json& v) const {
    const json& b = branch.contains("$ref") ? resolve(branch["$ref"]) : branch;
    if (!v.is_object() || !b.contains("properties")) return false;
    for (const auto& [key, sub] : b["properties"].items()) {
      auto e = sub.find("enum");
      auto it = v.find(key);
      if (e != sub.end() && it != v.end() && key.size() > 5 &&
          key.substr(key.size() - 5) == "_type")
        return std::any_of(e->begin(), e->end(),
                           [&](const json& x) { return python_equal(x, *it); });
    }
    return false;
  }

  const json& root_;
};

}  // namespace

std::optional<std::string> nbformat_violation(const json& notebook, int minor) {
  if (minor < 0) return "nbformat_minor: no schema for nbformat 4." + std::to_string(minor);
  const json& schema = schema_for(minor);
  return Validator(schema).check(schema, notebook, "");
}

}  // namespace lava::notebook
