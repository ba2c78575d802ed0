// Jinja's attribute getters for filters that take `attribute=` (sort, groupby, map,
// unique, min, max, sum, selectattr...): "a.0.b" walks item["a"][0]["b"].
#pragma once

#include <vector>

#include "template/value.h"

namespace lava::tmpl {

using Parts = std::vector<Value>;

// jinja2.filters._prepare_attribute_parts: "a.0.b" -> ['a', 0, 'b'].
Parts attribute_parts(const Value& attr);
// The value itself, lower-cased when it is a string (case-insensitive comparisons).
Value ignore_case(const Value& v);
// make_attrgetter: follows `parts` from `item`; an undefined step becomes `dflt` when
// one is given and not None.
Value get_attr_path(Runtime& rt, Value item, const Parts& parts, const Value* dflt = nullptr);
// make_multi_attrgetter: a list of the comma separated attributes.
Value get_multi_attr(Runtime& rt, const Value& item, const Value& attribute, bool lower);

}  // namespace lava::tmpl
