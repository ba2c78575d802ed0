// Splitting a command string into words as the lava worker does (Python's shlex.split,
// POSIX mode): shell quoting, no expansions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lava::run {

// Words are separated by unquoted blanks (space, tab, CR, LF). 'single quotes' keep
// everything literally; inside "double quotes" a backslash escapes only \ and ", and is
// kept before anything else; outside quotes a backslash keeps the next character,
// whatever it is. Quotes join with adjacent text (x""y is xy; "" alone is an empty word).
// No variable, glob or tilde expansion, no comments ('#' is ordinary). An unclosed quote
// or a trailing backslash is a lava::UsageError naming the command.
std::vector<std::string> shell_split(std::string_view command);

}  // namespace lava::run
