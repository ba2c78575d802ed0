// Jinja's tojson: json.dumps with sorted keys, made safe to put in HTML.
#pragma once

#include <string>

#include "template/value.h"

namespace lava::tmpl {

// json.dumps(v, sort_keys=True, indent=indent) made HTML-safe as Jinja's tojson does
// (indent < 0: none). A value JSON cannot hold is a TypeErr naming its type.
std::string tojson(const Value& v, int indent);

}  // namespace lava::tmpl
