#include "run/shell_split.h"

#include "util/error.h"

namespace lava::run {

namespace {
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
}  // namespace

std::vector<std::string> shell_split(std::string_view in) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started, even if still empty ("" is a word)
  auto fail = [&](const std::string& why) {
    return UsageError("command '" + std::string(in) + "': " + why);
  };
  size_t i = 0;
  while (i < in.size()) {
    char c = in[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= in.size()) throw fail("ends with a backslash that escapes nothing");
      word += in[i + 1];
      in_word = true;
      i += 2;
    } else if (c == '\'') {
      size_t end = in.find('\'', i + 1);
      if (end == std::string_view::npos) throw fail("no closing single quote");
      word.append(in.substr(i + 1, end - i - 1));
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      in_word = true;
      for (++i;; ++i) {
        if (i >= in.size()) throw fail("no closing double quote");
        char d = in[i];
        if (d == '"') break;
        if (d == '\\' && i + 1 < in.size() && (in[i + 1] == '\\' || in[i + 1] == '"')) d = in[++i];
        word += d;
      }
      ++i;
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace lava::run
