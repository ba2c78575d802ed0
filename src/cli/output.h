// The only place the tool writes to stdout/stderr for users.
#pragma once

#include <string>
#include <string_view>

namespace lava::cli {

// One line on stderr, prefixed "lava-docker: ", secrets redacted.
void print_error(std::string_view message);
// That line as text, newline included: for CLI11, which prints parse errors itself
// (cli/parse_errors.h).
std::string error_line(std::string_view message);
// One line on stderr with its own prefix ("render: x.j2:3: ..."), secrets redacted.
void print_error_with_prefix(std::string_view prefix, std::string_view message);
// One "notice: ..." line on stderr, secrets redacted.
void print_notice(std::string_view message);
// One "warning: ..." line on stderr, secrets redacted: something the user should look at.
void print_warning(std::string_view message);

}  // namespace lava::cli
