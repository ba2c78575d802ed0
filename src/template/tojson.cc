#include "template/tojson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

void json_string(std::string& out, const std::string& s) {
  out.push_back('"');
  size_t i = 0;
  char buf[16];
  while (i < s.size()) {
    char32_t c = pytext::next(s, i);
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

}  // namespace lava::tmpl
