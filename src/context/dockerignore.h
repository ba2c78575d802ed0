// A payload's .dockerignore, with Docker's semantics: one pattern a line, relative to the
// context root (a leading '/' is dropped, the pattern cleaned like Go's filepath.Clean, so
// a trailing '/' is dropped too and "build/" matches a file named build as well); lines
// whose first column is '#' are comments; blank lines are skipped; surrounding blanks are
// trimmed; `*` and `?` match within one path segment, `[...]` (with `^` for negation) one
// character, `\` escapes, and `**` any number of directories (zero too); `!PATTERN`
// re-includes what it matches. A pattern matches a path when it matches the path itself
// or one of its parent directories, and the last pattern that matches decides.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lava::context {

class DockerIgnore {
 public:
  DockerIgnore() = default;  // ignores nothing

  // Parses .dockerignore text; `shown` names the file in errors (a bad pattern, such as an
  // unclosed '[', is a lava::Error naming the file, the line and the pattern).
  static DockerIgnore parse(std::string_view text, const std::string& shown);
  // `dir`/.dockerignore when there is one, else ignores nothing.
  static DockerIgnore load(const std::filesystem::path& dir, const std::string& shown);

  bool empty() const { return patterns_.empty(); }

  // `rel` is a path relative to the context root, '/'-separated ("a/b.txt").
  bool excluded(std::string_view rel) const;

  // For an excluded directory: whether Docker still walks into it because an exception
  // pattern's text starts with "DIR/" (only such patterns can re-include its entries).
  bool may_reinclude_below(std::string_view dir) const;

 private:
  struct Token {
    enum Kind { kChar, kAnyInSegment, kOneInSegment, kClass, kAnyDirs, kAll } kind = kChar;
    char32_t ch = 0;
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // kClass
  };
  struct Pattern {
    std::string text;  // cleaned, without '!'
    bool exception = false;
    std::vector<Token> tokens;
  };
  static bool match(const std::vector<Token>& tokens, const std::u32string& path);
  static std::vector<Token> compile(const std::string& pattern, const std::string& where);

  std::vector<Pattern> patterns_;
};

// What becomes of a payload entry (`rel` relative to the payload root) in the build
// context: kept; left out; or, for an excluded directory that an exception may reach into,
// walked without being kept itself (created only when something below is kept). The
// root's Dockerfile and .dockerignore are always kept: the engine needs them, and leaves
// them out of COPY/ADD itself when .dockerignore lists them. A notebook (*.ipynb) is left
// out when its own path or that of the .py it becomes is excluded.
enum class ContextEntry { kKeep, kSkip, kWalkOnly };
ContextEntry context_entry(const DockerIgnore& ignore, const std::string& rel, bool is_dir);

}  // namespace lava::context
