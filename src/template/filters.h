// Jinja2's built-in filters and tests, looked up by name at parse time.
#pragma once

#include <string_view>

#include <string>

#include "template/ast.h"

namespace lava::tmpl {

FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);

// Markup.striptags(): drops comments and tags, collapses whitespace, unescapes entities.
std::string markup_striptags(const std::string& s);
// html.unescape for the common entities (named ones used in practice and numeric ones).
std::string html_unescape(const std::string& s);
// json.dumps(v, sort_keys=True, indent=indent) made HTML-safe as Jinja's tojson does.
std::string tojson(const Value& v, int indent);
// pprint.pformat(v).
std::string pformat(const Value& v);

}  // namespace lava::tmpl
