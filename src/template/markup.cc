#include "template/markup.h"

#include <map>

#include "pytext/chars.h"
#include "pytext/utf8.h"

namespace lava::tmpl {

std::string html_unescape(const std::string& s) {
  static const std::map<std::string, std::string> named = {{"amp", "&"},
                                                           {"lt", "<"},
                                                           {"gt", ">"},
                                                           {"quot", "\""},
                                                           {"apos", "'"},
                                                           {"nbsp", "\xC2\xA0"},
                                                           {"copy", "\xC2\xA9"},
                                                           {"reg", "\xC2\xAE"},
                                                           {"raquo", "\xC2\xBB"},
                                                           {"laquo", "\xC2\xAB"},
                                                           {"hellip", "\xE2\x80\xA6"},
                                                           {"mdash", "\xE2\x80\x94"},
                                                           {"ndash", "\xE2\x80\x93"},
                                                           {"euro", "\xE2\x82\xAC"},
                                                           {"trade", "\xE2\x84\xA2"},
                                                           {"middot", "\xC2\xB7"},
                                                           {"bull", "\xE2\x80\xA2"},
                                                           {"deg", "\xC2\xB0"}};
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi != std::string::npos && semi - i <= 32) {
      std::string ent = s.substr(i + 1, semi - i - 1);
      if (!ent.empty() && ent[0] == '#') {
        char32_t cp = 0;
        bool ok = ent.size() > 1;
        if (ok && (ent[1] == 'x' || ent[1] == 'X')) {
          ok = ent.size() > 2;
          for (size_t k = 2; k < ent.size() && ok; ++k) {
            if (!std::isxdigit(static_cast<unsigned char>(ent[k])))
              ok = false;
            else
              cp = cp * 16 + static_cast<char32_t>(
                                 std::isdigit(static_cast<unsigned char>(ent[k]))
                                     ? ent[k] - '0'
                                     : std::tolower(static_cast<unsigned char>(ent[k])) - 'a' + 10);
            if (cp > 0x10FFFF) ok = false;
          }
        } else {
          for (size_t k = 1; k < ent.size() && ok; ++k) {
            if (!std::isdigit(static_cast<unsigned char>(ent[k])))
              ok = false;
            else
              cp = cp * 10 + static_cast<char32_t>(ent[k] - '0');
            if (cp > 0x10FFFF) ok = false;
          }
        }
        if (ok) {
          pytext::append(out, cp == 0 ? 0xFFFD : cp);
          i = semi + 1;
          continue;
        }
      } else {
        auto it = named.find(ent);
        if (it != named.end()) {
          out += it->second;
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

std::string markup_striptags(const std::string& s) {
  std::string no_comments;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = s.find("<!--", i);
    if (start == std::string::npos) {
      no_comments.append(s, i, std::string::npos);
      break;
    }
    size_t end = s.find("-->", start + 4);
    if (end == std::string::npos) {
      no_comments.append(s, i, std::string::npos);
      break;
    }
    no_comments.append(s, i, start - i);
    i = end + 3;
  }
  std::string no_tags;
  i = 0;
  while (i < no_comments.size()) {
    size_t start = no_comments.find('<', i);
    if (start == std::string::npos) {
      no_tags.append(no_comments, i, std::string::npos);
      break;
    }
    size_t end = no_comments.find('>', start + 1);
    if (end == std::string::npos) {
      no_tags.append(no_comments, i, std::string::npos);
      break;
    }
    no_tags.append(no_comments, i, start - i);
    i = end + 1;
  }
  // " ".join(value.split())
  std::string joined;
  std::u32string u = pytext::decode(no_tags);
  size_t k = 0;
  while (k < u.size()) {
    while (k < u.size() && pytext::is_space(u[k])) ++k;
    if (k >= u.size()) break;
    size_t e = k;
    while (e < u.size() && !pytext::is_space(u[e])) ++e;
    if (!joined.empty()) joined.push_back(' ');
    joined += pytext::encode(u.substr(k, e - k));
    k = e;
  }
  return html_unescape(joined);
}

}  // namespace lava::tmpl
