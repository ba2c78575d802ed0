// Builds the syntax tree from tokens, following jinja2.parser, then runs the compile-time
// checks Jinja's code generator makes (unknown filters/tests, duplicate blocks, ...).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "template/ast.h"
#include "template/lexer.h"

namespace lava::tmpl {

// Parses `source` (already newline-normalised or not: it is normalised here). Throws
// EvalError with the line of the syntax error.
std::shared_ptr<Template> parse_template(std::string_view source, const std::string& name,
                                         const Delimiters& delimiters);

}  // namespace lava::tmpl
