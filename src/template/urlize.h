// Jinja's urlize: turns URLs and e-mail addresses in text into links (jinja2.utils.urlize),
// with the same regular expressions written out by hand.
#pragma once

#include <string>
#include <vector>

#include "template/value.h"

namespace lava::tmpl {

// jinja2.utils._http_re matched against a whole word.
bool is_http_url(const std::string& s);
// jinja2.utils._email_re: ^\S+@\w[\w.-]*\.\w+$
bool is_email(const std::string& s);
// jinja2.filters._uri_scheme_re: ^([\w.+-]{2,}:(/){0,2})$
bool is_uri_scheme(const std::string& s);

// urlize(text, trim_url_limit, rel, target, extra_schemes); trim_limit is None or an int.
std::string urlize(const std::string& text, const Value& trim_limit, const std::string& rel,
                   const std::string& target, const std::vector<std::string>& extra_schemes);

}  // namespace lava::tmpl
