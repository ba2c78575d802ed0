#include "context/dockerignore.h"

#include <algorithm>

#include "util/error.h"
#include "util/file_io.h"

namespace lava::context {

namespace fs = std::filesystem;

namespace {

// UTF-8 to code points; a byte that is not valid UTF-8 stands for itself as U+DC80..U+DCFF,
// so any path still compares exactly.
std::u32string decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = len > 0 && i + len <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      out.push_back(0xDC00 + b);
      ++i;
    } else {
      out.push_back(cp);
      i += len;
    }
  }
  return out;
}

// Go's filepath.Clean for '/'-separated paths.
std::string clean(const std::string& path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string part = path.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
  return out.empty() ? "." : out;
}

std::string trim(std::string_view s) {
  const char* ws = " \t\n\r\v\f";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::vector<DockerIgnore::Token> DockerIgnore::compile(const std::string& pattern,
                                                       const std::string& where) {
  auto bad = [&](const std::string& why) {
    return Error(where + ": bad pattern '" + pattern + "': " + why);
  };
  std::u32string p = decode(pattern);
  std::vector<Token> tokens;
  for (size_t i = 0; i < p.size();) {
    char32_t c = p[i++];
    Token t;
    t.kind = Token::kChar;
    if (c == '*') {
      if (i < p.size() && p[i] == '*') {
        ++i;
        if (i < p.size() && p[i] == '/') ++i;
        t.kind = i == p.size() ? Token::kAll : Token::kAnyDirs;
      } else {
        t.kind = Token::kAnyInSegment;
      }
    } else if (c == '?') {
      t.kind = Token::kOneInSegment;
    } else if (c == '\\') {
      if (i == p.size()) throw bad("it ends with a lone '\\'");
      t.ch = p[i++];
    } else if (c == '[') {
      t.kind = Token::kClass;
      if (i < p.size() && p[i] == '^') {
        t.negated = true;
        ++i;
      }
      bool closed = false;
      while (i < p.size()) {
        if (p[i] == ']' && !t.ranges.empty()) {
          closed = true;
          ++i;
          break;
        }
        auto item = [&]() -> char32_t {
          if (i >= p.size()) throw bad("unclosed '['");
          char32_t x = p[i++];
          if (x == '-' || x == ']')
            throw bad("'" + std::string(1, char(x)) + "' must be escaped in [...]");
          if (x == '\\') {
            if (i >= p.size()) throw bad("unclosed '['");
            x = p[i++];
          }
          return x;
        };
        char32_t lo = item(), hi = lo;
        if (i < p.size() && p[i] == '-') {
          ++i;
          hi = item();
        }
        t.ranges.emplace_back(lo, hi);
      }
      if (!closed) throw bad("unclosed '['");
    } else {
      t.ch = c;
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

bool DockerIgnore::match(const std::vector<Token>& tokens, const std::u32string& path) {
  const size_t T = tokens.size(), S = path.size();
  // memo[ti * (S + 1) + si]: 0 unknown, 1 no, 2 yes.
  std::vector<uint8_t> memo((T + 1) * (S + 1), 0);
  auto go = [&](auto& self, size_t ti, size_t si) -> bool {
    uint8_t& m = memo[ti * (S + 1) + si];
    if (m) return m == 2;
    bool r = false;
    if (ti == T) {
      r = si == S;
    } else {
      const Token& t = tokens[ti];
      switch (t.kind) {
        case Token::kChar:
          r = si < S && path[si] == t.ch && self(self, ti + 1, si + 1);
          break;
        case Token::kOneInSegment:
          r = si < S && path[si] != '/' && self(self, ti + 1, si + 1);
          break;
        case Token::kClass:
          if (si < S) {
            bool in = std::any_of(t.ranges.begin(), t.ranges.end(), [&](const auto& rg) {
              return rg.first <= path[si] && path[si] <= rg.second;
            });
            r = in != t.negated && self(self, ti + 1, si + 1);
          }
          break;
        case Token::kAnyInSegment:
          for (size_t k = si;; ++k) {
            if (self(self, ti + 1, k)) {
              r = true;
              break;
            }
            if (k == S || path[k] == '/') break;
          }
          break;
        case Token::kAnyDirs:  // (.*/)?
          r = self(self, ti + 1, si);
          for (size_t k = si; !r && k < S; ++k)
            if (path[k] == '/') r = self(self, ti + 1, k + 1);
          break;
        case Token::kAll:
          r = true;
          break;
      }
    }
    m = r ? 2 : 1;
    return r;
  };
  return go(go, 0, 0);
}

DockerIgnore DockerIgnore::parse(std::string_view text, const std::string& shown) {
  DockerIgnore out;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no++ == 0 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!line.empty() && line.front() == '#') continue;
    std::string pattern = trim(line);
    if (pattern.empty()) continue;
    const std::string where = shown + ":" + std::to_string(line_no);
    Pattern p;
    if (pattern[0] == '!') {
      p.exception = true;
      pattern = trim(std::string_view(pattern).substr(1));
      if (pattern.empty()) throw Error(where + ": '!' needs a pattern after it");
    }
    pattern = clean(pattern);
    if (pattern.size() > 1 && pattern[0] == '/') pattern.erase(0, 1);
    p.text = pattern;
    p.tokens = compile(pattern, where);
    out.patterns_.push_back(std::move(p));
  }
  return out;
}

DockerIgnore DockerIgnore::load(const fs::path& dir, const std::string& shown) {
  fs::path file = dir / ".dockerignore";
  std::error_code ec;
  if (!fs::exists(file, ec)) return {};
  if (!fs::is_regular_file(file, ec)) throw Error(shown + ": is not a regular file");
  return parse(read_file(file), shown);
}

bool DockerIgnore::excluded(std::string_view rel) const {
  if (patterns_.empty()) return false;
  const std::u32string path = decode(rel);
  std::vector<size_t> parent_ends;  // "a/b/c" -> prefixes "a" and "a/b"
  for (size_t i = 0; i < path.size(); ++i)
    if (path[i] == '/') parent_ends.push_back(i);
  bool matched = false;
  for (const auto& p : patterns_) {
    // Only a pattern that can change the verdict is worth trying.
    if (p.exception != matched) continue;
    bool m = match(p.tokens, path);
    for (size_t k = 0; !m && k < parent_ends.size(); ++k)
      m = match(p.tokens, path.substr(0, parent_ends[k]));
    if (m) matched = !p.exception;
  }
  return matched;
}

bool DockerIgnore::may_reinclude_below(std::string_view dir) const {
  const std::string prefix = std::string(dir) + "/";
  return std::any_of(patterns_.begin(), patterns_.end(), [&](const Pattern& p) {
    return p.exception && (p.text + "/").rfind(prefix, 0) == 0;
  });
}

ContextEntry context_entry(const DockerIgnore& ignore, const std::string& rel, bool is_dir) {
  if (ignore.empty() || rel == "Dockerfile" || rel == ".dockerignore") return ContextEntry::kKeep;
  bool out = ignore.excluded(rel);
  if (!is_dir && !out && rel.size() > 6 && rel.compare(rel.size() - 6, 6, ".ipynb") == 0)
    out = ignore.excluded(rel.substr(0, rel.size() - 6) + ".py");
  if (!out) return ContextEntry::kKeep;
  if (is_dir && ignore.may_reinclude_below(rel)) return ContextEntry::kWalkOnly;
  return ContextEntry::kSkip;
}

}  // namespace lava::context
