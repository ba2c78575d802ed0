// What markupsafe.Markup does to text besides escaping: striptags() and unescape().
#pragma once

#include <string>

namespace lava::tmpl {

// Markup.striptags(): drops comments and tags, collapses whitespace, unescapes entities.
std::string markup_striptags(const std::string& s);
// html.unescape for the common entities (named ones used in practice and numeric ones).
std::string html_unescape(const std::string& s);

}  // namespace lava::tmpl
