// Jinja's compile-time constant folding, where it changes results (a constant
// concatenation is folded with str(), so Markup operands lose their safety).
#pragma once

#include "template/ast.h"

namespace lava::tmpl {

// Whether Jinja's optimizer can evaluate `e` at compile time (jinja2.nodes as_const);
// null (an absent operand) counts as constant.
bool is_constant(const Expr* e);

}  // namespace lava::tmpl
