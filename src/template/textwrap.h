// Python's textwrap.TextWrapper.wrap, which Jinja's wordwrap filter calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lava::tmpl {

// The lines of `text` (code points) at most `width` wide, with expand_tabs=False and
// replace_whitespace=False. A width below 1 is a ValueErr, as in Python.
std::vector<std::u32string> text_wrap(const std::u32string& text, int64_t width, bool break_long,
                                      bool break_hyphens);

}  // namespace lava::tmpl
