// The token stream Python 3.11's pure-Python `tokenize.generate_tokens` produces for a
// list of physical lines — the view of a cell IPython's input transformer works from.
// It reproduces that module's quirks (ERRORTOKEN for '!', '?', '$' and for the space
// before them, no NEWLINE after a line ended by a form feed, stopping silently at an
// unfinished string or bracket) because they decide which IPython syntax is found.
#pragma once

#include <stdexcept>
#include <vector>

#include "notebook/py_text.h"

namespace lava::notebook {

enum class TokenType {
  kName,
  kNumber,
  kString,
  kOp,
  kComment,
  kNl,
  kNewline,
  kIndent,
  kDedent,
  kErrorToken,
  kEndMarker
};

struct Token {
  TokenType type;
  // The token's text; for a string spanning lines, only its part on the first line
  // (all the rewrites ever compare). Points into the lines given to python_tokenize.
  PyView text;
  int line;  // 0-based index into the lines tokenized (tokenize's row - 1)
  int col;   // code point offset in that line
};

// tokenize raised IndentationError ("unindent does not match any outer indentation
// level"); IPython lets it escape, so nbconvert fails on such a cell.
class IndentationFailure : public std::runtime_error {
 public:
  explicit IndentationFailure(int line)
      : std::runtime_error("unindent does not match any outer indentation level"), line(line) {}
  int line;
};

// Tokens for `lines` (each normally keeping its line ending); they point into `lines`. Input that
// ends inside a multi-line string or statement yields the tokens produced so far, as tokenize does
// before raising TokenError.
std::vector<Token> python_tokenize(const std::vector<PyStr>& lines);

}  // namespace lava::notebook
