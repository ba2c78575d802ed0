#include "notebook/ipython_transform.h"

#include <algorithm>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include "notebook/py_tokenize.h"
#include "pytext/chars.h"

namespace lava::notebook {

namespace {

using Lines = std::vector<PyStr>;
using TokenLine = std::span<const Token>;

// Tokens grouped by logical line, as IPython's make_tokens_by_line groups them.
struct TokensByLine {
  std::vector<Token> tokens;
  std::vector<TokenLine> lines;
  auto begin() const { return lines.begin(); }
  auto end() const { return lines.end(); }
};

// IPython gives up (RuntimeError) when rewrites are still happening after this many passes.
constexpr int kTransformLoopLimit = 500;

char32_t at(PyView s, size_t i) {
  return i < s.size() ? s[i] : 0;
}

PyStr join(const Lines& lines, size_t from = 0, size_t to = PyStr::npos) {
  PyStr out;
  for (size_t i = from; i < lines.size() && i < to; ++i) out += lines[i];
  return out;
}

// ---- Cleanup passes, applied once to the whole cell ----

Lines drop_leading_blank_lines(Lines lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].empty() && !py_isspace(lines[i]))
      return Lines(std::make_move_iterator(lines.begin() + static_cast<long>(i)),
                   std::make_move_iterator(lines.end()));
  }
  return lines;  // all blank: IPython keeps them
}

Lines drop_common_indent(Lines lines) {
  if (lines.empty()) return lines;
  size_t n = 0;
  while (n < lines[0].size() && (lines[0][n] == U' ' || lines[0][n] == U'\t')) ++n;
  if (n == 0) return lines;
  PyStr indent = lines[0].substr(0, n);
  for (auto& l : lines)
    if (starts_with(l, indent)) l.erase(0, n);
  return lines;
}

// Python's `$` without MULTILINE: end of text, or just before a final '\n'.
bool at_end(PyView s, size_t i) {
  return i == s.size() || (i + 1 == s.size() && s[i] == U'\n');
}

// ^>>>( |$)
size_t classic_first_prompt(PyView s) {
  if (!starts_with(s, U">>>")) return 0;
  if (at(s, 3) == U' ') return 4;
  return at_end(s, 3) ? 3 : 0;
}

// ^(>>>|\.\.\.)( |$)
size_t classic_prompt(PyView s) {
  if (!starts_with(s, U">>>") && !starts_with(s, U"...")) return 0;
  if (s.size() > 3 && s[3] == U' ') return 4;
  return at_end(s, 3) ? 3 : 0;
}

// IPython's prompt: "[nav] In [12]: " style, or "   ...: " continuation.
size_t ipython_prompt(PyView s) {
  auto in_prompt_at = [&](size_t p) -> size_t {
    if (!starts_with(s.substr(std::min(p, s.size())), U"In [")) return 0;
    size_t i = p + 4;
    size_t digits = i;
    while (i < s.size() && pytext::is_decimal(s[i])) ++i;
    if (i == digits) return 0;
    if (s.substr(i, 3) != U"]: ") return 0;
    return i + 3;
  };
  if (starts_with(s, U"[nav] ") || starts_with(s, U"[ins] ")) {
    if (size_t e = in_prompt_at(6)) return e;
  }
  if (starts_with(s, U" ")) {
    if (size_t e = in_prompt_at(1)) return e;
  }
  if (size_t e = in_prompt_at(0)) return e;
  size_t i = 0;
  while (i < s.size() && pytext::is_space(s[i])) ++i;
  size_t dots = i;
  while (i < s.size() && s[i] == U'.') ++i;
  if (i - dots < 3 || at(s, i) != U':') return 0;
  ++i;
  if (at(s, i) == U' ') ++i;
  return i;
}

// Strips prompts from every line when the first line (or the second) has one.
template <typename First, typename Any>
Lines strip_prompts(Lines lines, First first_prompt, Any any_prompt) {
  if (lines.empty()) return lines;
  if (first_prompt(lines[0]) == 0 && !(lines.size() > 1 && any_prompt(lines[1]) != 0)) return lines;
  for (auto& l : lines) l.erase(0, any_prompt(l));
  return lines;
}

// %%name args\nbody -> get_ipython().run_cell_magic('name', 'args', 'body')
Lines cell_magic(Lines lines) {
  if (lines.empty() || !starts_with(lines[0], U"%%")) return lines;
  size_t i = 2;
  while (i < lines[0].size() && pytext::is_word(lines[0][i])) ++i;
  if (i > 2 && at(lines[0], i) == U'?') return lines;  // %%magic? is a help query
  auto [name, first_line] = py_partition_space(py_rstrip(PyView(lines[0]).substr(2)));
  PyStr call = U"get_ipython().run_cell_magic(" + py_repr(name) + U", " + py_repr(first_line) +
               U", " + py_repr(join(lines, 1)) + U")\n";
  return Lines{call};
}

// ---- Token-based rewrites, one per pass ----

TokensByLine tokens_by_line(const Lines& lines) {
  TokensByLine out;
  try {
    out.tokens = python_tokenize(lines);
  } catch (const IndentationFailure& e) {
    throw TransformFailure("line " + std::to_string(e.line + 1) + ": " + e.what());
  }
  const auto& tokens = out.tokens;
  int parenlev = 0;
  size_t start = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.type == TokenType::kNewline || (t.type == TokenType::kNl && parenlev <= 0)) {
      out.lines.emplace_back(tokens.data() + start, i + 1 - start);
      start = i + 1;
    } else if (t.text == U"(" || t.text == U"[" || t.text == U"{") {
      ++parenlev;
    } else if ((t.text == U")" || t.text == U"]" || t.text == U"}") && parenlev > 0) {
      --parenlev;
    }
  }
  if (start < tokens.size()) out.lines.emplace_back(tokens.data() + start, tokens.size() - start);
  return out;
}

enum class Rewrite { kMagicAssign, kSystemAssign, kEscapedCommand, kHelpEnd };

struct Candidate {
  Rewrite kind;
  int line;
  int col;
  int priority;  // lower wins when two start at the same place
  int q_line = 0;
  int q_col = 0;
};

// The first '=' outside brackets.
std::optional<size_t> find_assign_op(const TokenLine& line) {
  int level = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    PyView s = line[i].text;
    if (s == U"=" && level == 0) return i;
    if (s == U"(" || s == U"[" || s == U"{") {
      ++level;
    } else if ((s == U")" || s == U"]" || s == U"}") && level > 0) {
      --level;
    }
  }
  return std::nullopt;
}

std::optional<Candidate> find_magic_assign(const TokensByLine& tbl) {
  for (const auto& line : tbl) {
    auto ix = find_assign_op(line);
    if (!ix || line.size() < *ix + 2 || line[*ix + 1].text != U"%") continue;
    if (line.size() == *ix + 2)
      throw TransformFailure("assignment from a bare '%' at end of input");
    if (line[*ix + 2].type == TokenType::kName)
      return Candidate{Rewrite::kMagicAssign, line[*ix + 1].line, line[*ix + 1].col, 10};
  }
  return std::nullopt;
}

std::optional<Candidate> find_system_assign(const TokensByLine& tbl, const Lines& lines) {
  for (const auto& line : tbl) {
    auto ix = find_assign_op(line);
    if (!ix) continue;
    const Token& eq = line[*ix];
    if (starts_with(py_strip(lines[static_cast<size_t>(eq.line)]), U"=")) continue;
    if (line.size() < *ix + 2 || line[*ix + 1].type != TokenType::kErrorToken) continue;
    for (size_t i = *ix + 1; i < line.size() && line[i].type == TokenType::kErrorToken; ++i) {
      if (line[i].text == U"!")
        return Candidate{Rewrite::kSystemAssign, line[i].line, line[i].col, 10};
      if (!py_isspace(line[i].text)) break;
    }
  }
  return std::nullopt;
}

bool is_layout(const Token& t) {
  return t.type == TokenType::kIndent || t.type == TokenType::kDedent;
}

std::optional<Candidate> find_escaped_command(const TokensByLine& tbl) {
  for (const auto& line : tbl) {
    size_t ix = 0;
    while (ix < line.size() && is_layout(line[ix])) ++ix;
    if (ix >= line.size()) continue;
    PyView s = line[ix].text;
    if (s.size() == 1 && PyView(U"!?%,;/").find(s[0]) != PyView::npos)
      return Candidate{Rewrite::kEscapedCommand, line[ix].line, line[ix].col, 10};
  }
  return std::nullopt;
}

std::optional<Candidate> find_help_end(const TokensByLine& tbl) {
  for (const auto& line : tbl) {
    if (line.size() > 2 && line[line.size() - 2].text == U"?") {
      size_t ix = 0;
      while (is_layout(line[ix])) ++ix;
      const Token& q = line[line.size() - 2];
      return Candidate{Rewrite::kHelpEnd, line[ix].line, line[ix].col, 5, q.line, q.col};
    }
  }
  return std::nullopt;
}

// The last line of a command continued with backslash-newline (may be lines.size()).
size_t end_of_continued_line(const Lines& lines, size_t start) {
  size_t end = start;
  while (ends_with(lines[end], U"\\\n")) {
    ++end;
    if (end >= lines.size()) break;
  }
  return end;
}

// The command from (line, col) to end_line as one line, backslash-newlines joined by spaces.
PyStr assemble_continued_line(const Lines& lines, size_t line, size_t col, size_t end_line) {
  std::vector<PyView> parts{PyView(lines[line]).substr(col)};
  for (size_t i = line + 1; i <= end_line && i < lines.size(); ++i) parts.emplace_back(lines[i]);
  PyStr out;
  for (size_t i = 0; i < parts.size(); ++i) {
    PyView p = py_rstrip(parts[i]);
    if (i + 1 < parts.size()) p = p.substr(0, p.empty() ? 0 : p.size() - 1);
    if (i > 0) out += U' ';
    out += p;
  }
  return out;
}

Lines replace_lines(const Lines& lines, size_t first, size_t last, PyStr new_line) {
  Lines out(lines.begin(), lines.begin() + static_cast<long>(first));
  out.push_back(std::move(new_line));
  if (last + 1 < lines.size())
    out.insert(out.end(), lines.begin() + static_cast<long>(last + 1), lines.end());
  return out;
}

PyStr line_magic_call(PyView name, PyView args) {
  return U"get_ipython().run_line_magic(" + py_repr(name) + U", " + py_repr(args) + U")";
}

PyStr help_call(PyView target, bool detailed) {
  PyView method = detailed ? U"pinfo2" : target.find(U'*') != PyView::npos ? U"psearch" : U"pinfo";
  return line_magic_call(method, target);
}

PyStr join_words(const std::vector<PyView>& words, PyView sep) {
  PyStr out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += sep;
    out += words[i];
  }
  return out;
}

// The Python call an escaped line (!cmd, %magic, ?obj, ,f a b, ;f a b, /f a b) becomes.
PyStr escaped_call(PyView line) {
  PyView esc = line.substr(0, 1);
  if (line.size() > 1 && (line.substr(0, 2) == U"!!" || line.substr(0, 2) == U"??"))
    esc = line.substr(0, 2);
  PyView content = line.substr(esc.size());
  if (esc == U"!") return U"get_ipython().system(" + py_repr(content) + U")";
  if (esc == U"!!") return U"get_ipython().getoutput(" + py_repr(content) + U")";
  if (esc == U"?" || esc == U"??") {
    if (content.empty()) return U"get_ipython().show_usage()";
    return help_call(content, esc == U"??");
  }
  auto [name, args] = py_partition_space(content);
  if (esc == U"%") return line_magic_call(name, args);
  if (esc == U",") return PyStr(name) + U"(\"" + join_words(py_split(args), U"\", \"") + U"\")";
  if (esc == U";") return PyStr(name) + U"(\"" + PyStr(args) + U"\")";
  return PyStr(name) + U"(" + join_words(py_split(args), U", ") + U")";  // '/'
}

// IPython's help-end regex searched in `content`:
//   (%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+)*)(\?\??)$
// Returns the target and whether it was '??'.
std::optional<std::pair<PyStr, bool>> search_help_end(PyView s) {
  auto name_char = [](char32_t c) { return c == U'*' || pytext::is_word(c); };
  auto name_run = [&](size_t i) -> size_t {  // end of (?!\d)[\w*]+ at i, or 0 if none
    if (i >= s.size() || !name_char(s[i]) || pytext::is_decimal(s[i])) return 0;
    while (i < s.size() && name_char(s[i])) ++i;
    return i;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    size_t j = i;
    while (j < s.size() && s[j] == U'%') ++j;
    if (j - i > 2) continue;
    size_t k = name_run(j);
    if (k == 0) continue;
    while (at(s, k) == U'.') {
      size_t next = name_run(k + 1);
      if (next == 0) break;
      k = next;
    }
    if (at(s, k) != U'?') continue;
    bool detailed = at(s, k + 1) == U'?';
    size_t end = k + (detailed ? 2 : 1);
    if (!at_end(s, end)) continue;
    return std::make_pair(PyStr(s.substr(i, k - i)), detailed);
  }
  return std::nullopt;
}

// Applies one candidate; nullopt when it does not apply (IPython's SyntaxError).
std::optional<Lines> apply_rewrite(const Candidate& c, const Lines& lines) {
  auto line = static_cast<size_t>(c.line);
  auto col = static_cast<size_t>(c.col);
  switch (c.kind) {
    case Rewrite::kMagicAssign:
    case Rewrite::kSystemAssign: {
      PyStr lhs = lines[line].substr(0, col);
      size_t end = end_of_continued_line(lines, line);
      PyStr rhs = assemble_continued_line(lines, line, col, end);
      PyView rest = PyView(rhs).substr(1);
      PyStr call;
      if (c.kind == Rewrite::kMagicAssign) {
        auto [name, args] = py_partition_space(rest);
        call = line_magic_call(name, args);
      } else {
        call = U"get_ipython().getoutput(" + py_repr(rest) + U")";
      }
      return replace_lines(lines, line, end, lhs + call + U"\n");
    }
    case Rewrite::kEscapedCommand: {
      PyStr indent = lines[line].substr(0, col);
      size_t end = end_of_continued_line(lines, line);
      PyStr cmd = assemble_continued_line(lines, line, col, end);
      return replace_lines(lines, line, end, indent + escaped_call(cmd) + U"\n");
    }
    case Rewrite::kHelpEnd: {
      auto q_line = static_cast<size_t>(c.q_line);
      PyStr piece = join(lines, line, q_line + 1);
      PyView content = PyView(piece).substr(std::min(col, piece.size()));
      auto found = search_help_end(content);
      if (!found) return std::nullopt;
      PyStr indent = piece.substr(0, col);
      return replace_lines(lines, line, q_line,
                           indent + help_call(found->first, found->second) + U"\n");
    }
  }
  return std::nullopt;
}

// One pass: the rewrite that starts earliest in the cell. False when nothing applies.
bool rewrite_once(Lines& lines) {
  auto tbl = tokens_by_line(lines);
  std::vector<Candidate> candidates;
  for (auto c : {find_magic_assign(tbl), find_system_assign(tbl, lines), find_escaped_command(tbl),
                 find_help_end(tbl)})
    if (c) candidates.push_back(*c);
  std::stable_sort(
      candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return std::tie(a.line, a.col, a.priority) < std::tie(b.line, b.col, b.priority);
      });
  for (const auto& c : candidates) {
    if (auto out = apply_rewrite(c, lines)) {
      lines = std::move(*out);
      return true;
    }
  }
  return false;
}

}  // namespace

PyStr transform_cell(PyView cell) {
  PyStr text(cell);
  if (!ends_with(text, U"\n")) text += U'\n';
  Lines lines = py_splitlines_keepends(text);
  lines = drop_leading_blank_lines(std::move(lines));
  lines = drop_common_indent(std::move(lines));
  lines = strip_prompts(std::move(lines), classic_first_prompt, classic_prompt);
  lines = strip_prompts(std::move(lines), ipython_prompt, ipython_prompt);
  lines = cell_magic(std::move(lines));
  for (int pass = 0;; ++pass) {
    if (pass == kTransformLoopLimit)
      throw TransformFailure("IPython syntax still being rewritten after " +
                             std::to_string(kTransformLoopLimit) + " passes");
    if (!rewrite_once(lines)) break;
  }
  return join(lines);
}

}  // namespace lava::notebook
