#include "registry/challenge.h"

#include <cctype>

namespace lava::registry {

namespace {

struct Lexer {
  std::string_view s;
  size_t i = 0;
  void skip_space() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  bool at(char c) {
    skip_space();
    return i < s.size() && s[i] == c;
  }
  std::string token() {
    skip_space();
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != ',' && s[i] != '=') ++i;
    return std::string(s.substr(start, i - start));
  }
  std::string quoted() {  // after the opening quote
    std::string out;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out += s[i++];
    }
    if (i < s.size()) ++i;
    return out;
  }
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<Challenge> parse_challenges(std::string_view header) {
  std::vector<Challenge> out;
  Lexer lx{header};
  while (true) {
    while (lx.at(',')) ++lx.i;
    std::string scheme = lx.token();
    if (scheme.empty()) break;
    Challenge c;
    c.scheme = lower(scheme);
    // Parameters until a token that is not followed by '=' (the next scheme).
    while (true) {
      while (lx.at(',')) ++lx.i;
      size_t mark = lx.i;
      std::string name = lx.token();
      if (name.empty()) break;
      if (!lx.at('=')) {
        lx.i = mark;
        break;
      }
      ++lx.i;
      lx.skip_space();
      std::string value;
      if (lx.i < header.size() && header[lx.i] == '"') {
        ++lx.i;
        value = lx.quoted();
      } else {
        value = lx.token();
      }
      c.params[lower(name)] = value;
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace lava::registry
