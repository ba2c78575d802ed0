// The compile-time checks Jinja's code generator makes before rendering: unknown filters
// and tests outside conditionals, `extends` below the top level, assigning to `loop`, a
// required `caller` argument. Also records what the runtime needs to know from the
// whole body: whether a loop uses `loop`, whether a macro takes caller/varargs/kwargs.
#pragma once

#include "template/ast.h"

namespace lava::tmpl {

// Throws EvalError with the line of the first problem.
void check_template(Template& tmpl);

}  // namespace lava::tmpl
