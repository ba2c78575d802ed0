#include "template/urlize.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "pytext/case.h"
#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

namespace {

bool url_word_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}
bool starts_with_ci(const std::string& s, size_t pos, const char* prefix) {
  size_t n = std::strlen(prefix);
  if (s.size() - std::min(pos, s.size()) < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != prefix[i]) return false;
  return true;
}

// What may follow the host in jinja2.utils._http_re: (?::\d{1,5})?(?:[/?#]\S*)?$
bool url_tail_ok(const std::string& s, size_t pos) {
  if (pos < s.size() && s[pos] == ':') {
    size_t d = pos + 1;
    while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d]))) ++d;
    if (d - pos - 1 < 1 || d - pos - 1 > 5) return false;
    pos = d;
  }
  if (pos == s.size()) return true;
  if (s[pos] != '/' && s[pos] != '?' && s[pos] != '#') return false;
  for (size_t i = pos; i < s.size(); ++i)
    if (std::isspace(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Splits host labels at dots; false when a label is empty.
bool host_labels(const std::string& host, std::vector<std::string>& labels) {
  labels.clear();
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string label =
        host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty()) return false;
    labels.push_back(label);
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

bool all_of_chars(const std::string& s, bool (*pred)(unsigned char)) {
  for (unsigned char c : s)
    if (!pred(c)) return false;
  return true;
}

}  // namespace

// jinja2.utils._http_re, matched against a whole word.
bool is_http_url(const std::string& s) {
  auto host_char = [](unsigned char c) {
    return url_word_char(c) || c == '%' || c == '-' || c == '.';
  };
  auto label_char = [](unsigned char c) { return url_word_char(c) || c == '%' || c == '-'; };
  size_t scheme = 0;
  if (starts_with_ci(s, 0, "https://"))
    scheme = 8;
  else if (starts_with_ci(s, 0, "http://"))
    scheme = 7;
  size_t host_start = scheme ? scheme : (starts_with_ci(s, 0, "www.") ? 4 : 0);
  size_t end = host_start;
  while (end < s.size() && host_char(static_cast<unsigned char>(s[end]))) ++end;
  std::string host = s.substr(host_start, end - host_start);
  std::vector<std::string> labels;
  bool tail = url_tail_ok(s, end);
  if (tail && host_labels(host, labels)) {
    // (https?://|www\.)(([\w%-]+\.)+)?([a-z]{2,63}|xn--[\w%]{2,59})
    if (scheme || host_start == 4) {
      bool ok = true;
      for (size_t i = 0; i + 1 < labels.size(); ++i)
        if (!all_of_chars(labels[i], label_char)) ok = false;
      const std::string& tld = labels.back();
      bool alpha_tld = tld.size() >= 2 && tld.size() <= 63 &&
                       all_of_chars(tld, [](unsigned char c) { return std::isalpha(c) != 0; });
      bool idna_tld =
          tld.size() >= 6 && tld.size() <= 63 && starts_with_ci(tld, 0, "xn--") &&
          all_of_chars(tld.substr(4), [](unsigned char c) { return url_word_char(c) || c == '%'; });
      if (ok && (alpha_tld || idna_tld)) return true;
    }
    // ([\w%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil), no scheme
    if (!scheme && labels.size() >= 2) {
      std::string all = host_start == 4 ? s.substr(0, end) : host;
      std::vector<std::string> l2;
      if (host_labels(all, l2)) {
        bool ok = true;
        for (size_t i = 0; i + 1 < l2.size(); ++i)
          if (l2[i].size() < 2 || l2[i].size() > 63 || !all_of_chars(l2[i], label_char)) ok = false;
        std::string tld = pytext::lower(l2.back());
        static const char* tlds[] = {"com", "net", "int", "edu", "gov", "org", "info", "mil"};
        bool known = false;
        for (const char* t : tlds)
          if (tld == t) known = true;
        if (ok && known) return true;
      }
    }
  }
  if (scheme) {
    // IPv4 or bracketed IPv6 after the scheme.
    size_t i = scheme;
    if (i < s.size() && s[i] == '[') {
      size_t close = s.find(']', i);
      if (close == std::string::npos) return false;
      std::string inner = s.substr(i + 1, close - i - 1);
      size_t colons = std::count(inner.begin(), inner.end(), ':');
      if (colons < 2 ||
          !all_of_chars(inner, [](unsigned char c) { return std::isxdigit(c) || c == ':'; }))
        return false;
      return url_tail_ok(s, close + 1);
    }
    for (int part = 0; part < 4; ++part) {
      if (part) {
        if (i >= s.size() || s[i] != '.') return false;
        ++i;
      }
      size_t d = i;
      while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d])) && d - i < 3) ++d;
      if (d == i) return false;
      i = d;
    }
    return url_tail_ok(s, i);
  }
  return false;
}

// jinja2.utils._email_re: ^\S+@\w[\w.-]*\.\w+$
bool is_email(const std::string& s) {
  for (size_t at = 1; at < s.size(); ++at) {
    if (s[at] != '@') continue;
    bool space = false;
    for (size_t i = 0; i < at; ++i)
      if (std::isspace(static_cast<unsigned char>(s[i]))) space = true;
    if (space) return false;
    std::string rest = s.substr(at + 1);
    if (rest.empty() || !url_word_char(static_cast<unsigned char>(rest[0]))) continue;
    if (!all_of_chars(rest,
                      [](unsigned char c) { return url_word_char(c) || c == '.' || c == '-'; }))
      continue;
    size_t dot = rest.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= rest.size()) continue;
    if (all_of_chars(rest.substr(dot + 1), url_word_char)) return true;
  }
  return false;
}

// jinja2.filters._uri_scheme_re: ^([\w.+-]{2,}:(/){0,2})$
bool is_uri_scheme(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = s[i];
    if (!(url_word_char(c) || c == '.' || c == '+' || c == '-')) return false;
  }
  std::string slashes = s.substr(colon + 1);
  return slashes.size() <= 2 && all_of_chars(slashes, [](unsigned char c) { return c == '/'; });
}

// jinja2.utils.urlize
std::string urlize(const std::string& text, const Value& trim_limit, const std::string& rel,
                   const std::string& target, const std::vector<std::string>& extra_schemes) {
  auto trim_url = [&](const std::string& x) {
    if (trim_limit.is_int()) {
      std::u32string u = pytext::decode(x);
      if (static_cast<int64_t>(u.size()) > trim_limit.as_int())
        return pytext::encode(
                   u.substr(0, static_cast<size_t>(std::max<int64_t>(0, trim_limit.as_int())))) +
               "...";
    }
    return x;
  };
  std::string escaped = escape_html(text);
  // re.split(r"(\s+)") keeping separators.
  std::vector<std::string> words;
  {
    size_t i = 0;
    std::string cur;
    bool in_space = false;
    while (i < escaped.size()) {
      size_t start = i;
      char32_t c = pytext::next(escaped, i);
      bool sp = pytext::is_space(c);
      if (sp != in_space && (!cur.empty() || !words.empty() || sp)) {
        words.push_back(cur);
        cur.clear();
      }
      in_space = sp;
      cur.append(escaped, start, i - start);
    }
    words.push_back(cur);
    if (!words.empty() && words[0].empty() && words.size() > 1 && !in_space) {
      // keep Python's shape: split results always alternate word, space, word
    }
  }
  std::string rel_attr = rel.empty() ? "" : " rel=\"" + escape_html(rel) + "\"";
  std::string target_attr = target.empty() ? "" : " target=\"" + escape_html(target) + "\"";
  std::string out;
  for (auto& word : words) {
    std::string head, middle = word, tail;
    // leading ( < &lt;
    {
      size_t p = 0;
      while (true) {
        if (p < middle.size() && (middle[p] == '(' || middle[p] == '<'))
          ++p;
        else if (middle.compare(p, 4, "&lt;") == 0)
          p += 4;
        else
          break;
      }
      head = middle.substr(0, p);
      middle = middle.substr(p);
    }
    // trailing ) > . , \n &gt;
    {
      size_t e = middle.size();
      while (true) {
        if (e > 0 && (middle[e - 1] == ')' || middle[e - 1] == '>' || middle[e - 1] == '.' ||
                      middle[e - 1] == ',' || middle[e - 1] == '\n'))
          --e;
        else if (e >= 4 && middle.compare(e - 4, 4, "&gt;") == 0)
          e -= 4;
        else
          break;
      }
      tail = middle.substr(e);
      middle = middle.substr(0, e);
    }
    const std::pair<std::string, std::string> pairs[] = {{"(", ")"}, {"<", ">"}, {"&lt;", "&gt;"}};
    auto count = [](const std::string& s, const std::string& what) {
      size_t n = 0, p = 0;
      while ((p = s.find(what, p)) != std::string::npos) {
        ++n;
        p += what.size();
      }
      return n;
    };
    for (const auto& [sc, ec] : pairs) {
      size_t start_count = count(middle, sc);
      if (start_count <= count(middle, ec)) continue;
      size_t moves = std::min(start_count, count(tail, ec));
      for (size_t k = 0; k < moves; ++k) {
        size_t end_index = tail.find(ec) + ec.size();
        middle += tail.substr(0, end_index);
        tail = tail.substr(end_index);
      }
    }
    if (is_http_url(middle)) {
      if (middle.rfind("https://", 0) == 0 || middle.rfind("http://", 0) == 0)
        middle =
            "<a href=\"" + middle + "\"" + rel_attr + target_attr + ">" + trim_url(middle) + "</a>";
      else
        middle = "<a href=\"https://" + middle + "\"" + rel_attr + target_attr + ">" +
                 trim_url(middle) + "</a>";
    } else if (middle.rfind("mailto:", 0) == 0 && is_email(middle.substr(7))) {
      middle = "<a href=\"" + middle + "\">" + middle.substr(7) + "</a>";
    } else if (middle.find('@') != std::string::npos && middle.rfind("www.", 0) != 0 &&
               middle.find(':') == std::string::npos && is_email(middle)) {
      middle = "<a href=\"mailto:" + middle + "\">" + middle + "</a>";
    } else {
      for (const auto& scheme : extra_schemes)
        if (middle != scheme && middle.rfind(scheme, 0) == 0)
          middle = "<a href=\"" + middle + "\"" + rel_attr + target_attr + ">" + middle + "</a>";
    }
    out += head + middle + tail;
  }
  return out;
}

}  // namespace lava::tmpl
