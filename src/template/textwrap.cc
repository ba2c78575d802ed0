#include "template/textwrap.h"

#include <algorithm>

#include "pytext/chars.h"
#include "template/errors.h"

namespace lava::tmpl {

// textwrap.TextWrapper.wrap with expand_tabs=False, replace_whitespace=False.
std::vector<std::u32string> text_wrap(const std::u32string& text, int64_t width, bool break_long,
                                      bool break_hyphens) {
  if (width <= 0) throw ValueErr("invalid width " + std::to_string(width) + " (must be > 0)");
  auto ws = [](char32_t c) {
    return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ';
  };
  auto letter = [](char32_t c) { return pytext::is_alpha(c); };
  std::vector<std::u32string> chunks;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    if (ws(text[i])) {
      while (j < text.size() && ws(text[j])) ++j;
      chunks.push_back(text.substr(i, j - i));
      i = j;
      continue;
    }
    while (j < text.size() && !ws(text[j])) ++j;
    std::u32string word = text.substr(i, j - i);
    if (!break_hyphens) {
      chunks.push_back(word);
    } else {
      // split after hyphens inside words: "x-ray" stays, "long-word" -> "long-", "word"
      size_t start = 0;
      for (size_t k = 0; k < word.size(); ++k) {
        if (word[k] != '-') continue;
        bool before = (k >= 2 && letter(word[k - 1]) && letter(word[k - 2])) ||
                      (k >= 3 && letter(word[k - 1]) && word[k - 2] == '-' && letter(word[k - 3]));
        bool after = k + 1 < word.size() &&
                     ((letter(word[k + 1]) && k + 2 < word.size() && letter(word[k + 2])) ||
                      (letter(word[k + 1]) && k + 3 < word.size() && word[k + 2] == '-' &&
                       letter(word[k + 3])));
        if (before && after) {
          chunks.push_back(word.substr(start, k + 1 - start));
          start = k + 1;
        }
      }
      chunks.push_back(word.substr(start));
    }
    i = j;
  }
  auto is_blank = [&](const std::u32string& s) {
    for (char32_t c : s)
      if (!pytext::is_space(c)) return false;
    return true;
  };
  std::vector<std::u32string> lines;
  std::reverse(chunks.begin(), chunks.end());
  while (!chunks.empty()) {
    std::vector<std::u32string> cur;
    int64_t cur_len = 0;
    if (is_blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      int64_t l = static_cast<int64_t>(chunks.back().size());
      if (cur_len + l <= width) {
        cur.push_back(chunks.back());
        chunks.pop_back();
        cur_len += l;
      } else {
        break;
      }
    }
    if (!chunks.empty() && static_cast<int64_t>(chunks.back().size()) > width) {
      int64_t space_left = width < 1 ? 1 : width - cur_len;
      if (break_long) {
        int64_t end = space_left;
        std::u32string& chunk = chunks.back();
        if (break_hyphens && static_cast<int64_t>(chunk.size()) > space_left) {
          size_t h = chunk.rfind(U'-', static_cast<size_t>(space_left) - 1);
          if (space_left > 0 && h != std::u32string::npos && h > 0 &&
              static_cast<int64_t>(h) < space_left) {
            bool non_hyphen = false;
            for (size_t q = 0; q < h; ++q)
              if (chunk[q] != '-') non_hyphen = true;
            if (non_hyphen) end = static_cast<int64_t>(h) + 1;
          }
        }
        cur.push_back(chunk.substr(0, static_cast<size_t>(end)));
        chunk = chunk.substr(static_cast<size_t>(end));
      } else if (cur.empty()) {
        cur.push_back(chunks.back());
        chunks.pop_back();
      }
      cur_len = 0;
      for (const auto& c : cur) cur_len += static_cast<int64_t>(c.size());
    }
    if (!cur.empty() && is_blank(cur.back())) cur.pop_back();
    if (!cur.empty()) {
      std::u32string line;
      for (const auto& c : cur) line += c;
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace lava::tmpl
