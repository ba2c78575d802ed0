#include "template/attribute_path.h"

#include <algorithm>
#include <cctype>

#include "pytext/case.h"
#include "template/runtime.h"

namespace lava::tmpl {

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
  if (v.is_string()) return Value(pytext::lower(v.str()), v.safe());
  return v;
}

// make_attrgetter
Value get_attr_path(Runtime& rt, Value item, const Parts& parts, const Value* dflt) {
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

}  // namespace lava::tmpl
