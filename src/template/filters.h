// Jinja2's built-in filters and tests, looked up by name at parse time.
#pragma once

#include <string_view>

#include "template/ast.h"

namespace lava::tmpl {

FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);

}  // namespace lava::tmpl
