#include "project/repository_name.h"

namespace lava::project {

namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The first character that may never appear in a component, described for a user.
std::string bad_character(std::string_view component) {
  for (char c : component) {
    unsigned char u = static_cast<unsigned char>(c);
    if (lower_alnum(c) || c == '.' || c == '_' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') return std::string("an upper-case letter '") + c + "'";
    if (c == ' ') return "a space";
    if (u >= 0x80) return "a non-ASCII character";
    if (u < 0x20 || u == 0x7f) return "a control character";
    return std::string("the character '") + c + "'";
  }
  return "";
}

// [a-z0-9]+ ( ( '.' | '_' | '__' | '-'+ ) [a-z0-9]+ )*, for a component whose characters
// are all allowed.
bool well_separated(std::string_view s) {
  if (s.empty() || !lower_alnum(s.front()) || !lower_alnum(s.back())) return false;
  for (size_t i = 0; i < s.size();) {
    if (lower_alnum(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && !lower_alnum(s[j])) ++j;
    std::string_view sep = s.substr(i, j - i);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "." || sep == "_" || sep == "__" || dashes)) return false;
    i = j;
  }
  return true;
}

}  // namespace

std::string repository_name_problem(std::string_view path) {
  if (path.empty()) return "it is empty";
  if (path.size() > kMaxRepositoryName)
    return "it is longer than " + std::to_string(kMaxRepositoryName) + " characters";
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view component = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (component.empty()) return "it has an empty component (\"//\" or a leading '/')";
    // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for "'" + string.
    std::string problem = "'";
    problem.append(component.data(), component.size());
    if (std::string bad = bad_character(component); !bad.empty()) {
      problem += "' has ";
      problem += bad;
      problem += " (allowed: lower-case letters, digits, '.', '_', '-')";
      return problem;
    }
    if (!well_separated(component)) {
      problem +=
          "' must start and end with a letter or digit, with words joined by '.', '_', "
          "'__' or dashes";
      return problem;
    }
    if (slash == std::string_view::npos) return "";
    start = slash + 1;
  }
}

}  // namespace lava::project
