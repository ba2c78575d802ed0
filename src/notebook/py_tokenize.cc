#include "notebook/py_tokenize.h"

#include <algorithm>
#include <optional>

#include "pytext/chars.h"

namespace lava::notebook {

namespace {

constexpr int kTabSize = 8;
constexpr size_t kNoMatch = PyStr::npos;

char32_t at(PyView s, size_t i) {
  return i < s.size() ? s[i] : 0;
}
bool is_quote(char32_t c) {
  return c == U'\'' || c == U'"';
}

// Length of the string prefix (r, b, u, f, br, rb, fr, rf in any case) starting at i and
// directly followed by a quote, or kNoMatch.
size_t string_prefix_length(PyView s, size_t i) {
  auto lower = [](char32_t c) { return (c >= U'A' && c <= U'Z') ? c - U'A' + U'a' : c; };
  if (is_quote(at(s, i))) return 0;
  char32_t a = lower(at(s, i));
  if (a != U'b' && a != U'r' && a != U'u' && a != U'f') return kNoMatch;
  if (is_quote(at(s, i + 1))) return 1;
  char32_t b = lower(at(s, i + 1));
  bool pair = (a == U'b' && b == U'r') || (a == U'r' && (b == U'b' || b == U'f')) ||
              (a == U'f' && b == U'r');
  return pair && is_quote(at(s, i + 2)) ? 2 : kNoMatch;
}

// Rest of a single-quoted string continued from an earlier line: [^q\\]*(\\.[^q\\]*)*q
size_t match_single_tail(PyView s, size_t i, char32_t q) {
  while (i < s.size()) {
    char32_t c = s[i];
    if (c == U'\\') {
      if (i + 1 < s.size() && s[i + 1] != U'\n') {
        i += 2;
        continue;
      }
      return kNoMatch;
    }
    if (c == q) return i + 1;
    ++i;
  }
  return kNoMatch;
}

// Rest of a triple-quoted string: [^q\\]*((\\.|q(?!qq))[^q\\]*)*qqq
size_t match_triple_tail(PyView s, size_t i, char32_t q) {
  while (i < s.size()) {
    char32_t c = s[i];
    if (c == U'\\') {
      if (i + 1 < s.size() && s[i + 1] != U'\n') {
        i += 2;
        continue;
      }
      return kNoMatch;
    }
    if (c == q && at(s, i + 1) == q && at(s, i + 2) == q) return i + 3;
    ++i;
  }
  return kNoMatch;
}

// A single-quoted string on one line, or its first line when it ends in backslash-newline.
size_t match_cont_str(PyView s, size_t i) {
  size_t k = string_prefix_length(s, i);
  if (k == kNoMatch) return kNoMatch;
  char32_t q = s[i + k];
  size_t j = i + k + 1;
  size_t after_escaped_cr = kNoMatch;  // where a consumed "\\\r" ended
  while (j < s.size()) {
    char32_t c = s[j];
    if (c == U'\\') {
      if (j + 1 < s.size() && s[j + 1] != U'\n') {
        if (s[j + 1] == U'\r') after_escaped_cr = j + 2;
        j += 2;
        continue;
      }
      if (j + 1 < s.size()) return j + 2;  // backslash-newline: continued
      return kNoMatch;
    }
    if (c == U'\n') return after_escaped_cr == j ? j + 1 : kNoMatch;
    if (c == q) return j + 1;
    ++j;
  }
  return kNoMatch;
}

// [0-9](_?[0-9])*
size_t digit_part(PyView s, size_t i) {
  if (!pytext::is_ascii_digit(at(s, i))) return kNoMatch;
  ++i;
  for (;;) {
    if (pytext::is_ascii_digit(at(s, i))) {
      ++i;
    } else if (at(s, i) == U'_' && pytext::is_ascii_digit(at(s, i + 1))) {
      i += 2;
    } else {
      return i;
    }
  }
}

size_t exponent(PyView s, size_t i) {
  if (at(s, i) != U'e' && at(s, i) != U'E') return kNoMatch;
  ++i;
  if (at(s, i) == U'+' || at(s, i) == U'-') ++i;
  return digit_part(s, i);
}

size_t maybe_exponent(PyView s, size_t i) {
  size_t e = exponent(s, i);
  return e == kNoMatch ? i : e;
}

size_t point_float(PyView s, size_t i) {
  size_t d = digit_part(s, i);
  if (d != kNoMatch && at(s, d) == U'.') {
    size_t f = digit_part(s, d + 1);
    return maybe_exponent(s, f == kNoMatch ? d + 1 : f);
  }
  if (at(s, i) == U'.') {
    size_t f = digit_part(s, i + 1);
    if (f != kNoMatch) return maybe_exponent(s, f);
  }
  return kNoMatch;
}

size_t float_number(PyView s, size_t i) {
  size_t p = point_float(s, i);
  if (p != kNoMatch) return p;
  size_t d = digit_part(s, i);
  return d == kNoMatch ? kNoMatch : exponent(s, d);
}

size_t radix_number(PyView s, size_t i, char32_t lower, bool (*is_digit)(char32_t)) {
  if (at(s, i) != U'0' || (at(s, i + 1) != lower && at(s, i + 1) != lower - 32)) return kNoMatch;
  size_t j = i + 2;
  for (;;) {
    if (is_digit(at(s, j))) {
      ++j;
    } else if (at(s, j) == U'_' && is_digit(at(s, j + 1))) {
      j += 2;
    } else {
      break;
    }
  }
  return j == i + 2 ? kNoMatch : j;
}

size_t int_number(PyView s, size_t i) {
  static auto hex = [](char32_t c) {
    return pytext::is_ascii_digit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
  };
  static auto bin = [](char32_t c) { return c == U'0' || c == U'1'; };
  static auto oct = [](char32_t c) { return c >= U'0' && c <= U'7'; };
  for (auto [letter, pred] :
       {std::pair<char32_t, bool (*)(char32_t)>{U'x', +hex}, {U'b', +bin}, {U'o', +oct}}) {
    size_t r = radix_number(s, i, letter, pred);
    if (r != kNoMatch) return r;
  }
  if (at(s, i) == U'0') {
    size_t j = i + 1;
    for (;;) {
      if (at(s, j) == U'0') {
        ++j;
      } else if (at(s, j) == U'_' && at(s, j + 1) == U'0') {
        j += 2;
      } else {
        return j;
      }
    }
  }
  if (at(s, i) >= U'1' && at(s, i) <= U'9') return digit_part(s, i);
  return kNoMatch;
}

// Imagnumber | Floatnumber | Intnumber, first alternative that matches.
size_t match_number(PyView s, size_t i) {
  size_t d = digit_part(s, i);
  if (d != kNoMatch && (at(s, d) == U'j' || at(s, d) == U'J')) return d + 1;
  size_t f = float_number(s, i);
  if (f != kNoMatch && (at(s, f) == U'j' || at(s, f) == U'J')) return f + 1;
  if (f != kNoMatch) return f;
  return int_number(s, i);
}

// Length of the operator at i, longest first as tokenize's reverse-sorted alternation
// finds it (Python 3.11's exact token set), or 0.
size_t operator_length(PyView s, size_t i) {
  char32_t c1 = at(s, i + 1);
  char32_t c2 = at(s, i + 2);
  switch (at(s, i)) {
    case U'(':
    case U')':
    case U'[':
    case U']':
    case U'{':
    case U'}':
    case U',':
    case U';':
    case U'~':
      return 1;
    case U':':
      return c1 == U'=' ? 2 : 1;
    case U'.':
      return c1 == U'.' && c2 == U'.' ? 3 : 1;
    case U'-':
      return c1 == U'=' || c1 == U'>' ? 2 : 1;
    case U'!':
      return c1 == U'=' ? 2 : 0;
    case U'*':
    case U'/':
    case U'<':
    case U'>': {
      char32_t c = s[i];
      if (c1 == c) return c2 == U'=' ? 3 : 2;
      return c1 == U'=' ? 2 : 1;
    }
    case U'%':
    case U'&':
    case U'+':
    case U'@':
    case U'^':
    case U'|':
    case U'=':
      return c1 == U'=' ? 2 : 1;
    default:
      return 0;
  }
}

size_t match_funny(PyView s, size_t i) {
  char32_t c = at(s, i);
  if (c == U'\n') return i + 1;
  if (c == U'\r' && at(s, i + 1) == U'\n') return i + 2;
  size_t len = operator_length(s, i);
  return len == 0 ? kNoMatch : i + len;
}

struct Span {
  size_t start;
  size_t end;
};

// tokenize's PseudoToken regex: optional blanks, then the first alternative that fits.
std::optional<Span> pseudo_match(PyView s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && (s[i] == U' ' || s[i] == U'\f' || s[i] == U'\t')) ++i;
  // PseudoExtras: backslash-newline, end of input, comment, opening triple quote.
  if (at(s, i) == U'\\') {
    if (at(s, i + 1) == U'\n') return Span{i, i + 2};
    if (at(s, i + 1) == U'\r' && at(s, i + 2) == U'\n') return Span{i, i + 3};
  }
  if (i == s.size()) return Span{i, i};
  if (s[i] == U'#') {
    size_t j = i;
    while (j < s.size() && s[j] != U'\r' && s[j] != U'\n') ++j;
    return Span{i, j};
  }
  size_t k = string_prefix_length(s, i);
  if (k != kNoMatch && at(s, i + k + 1) == s[i + k] && at(s, i + k + 2) == s[i + k])
    return Span{i, i + k + 3};
  if (size_t e = match_number(s, i); e != kNoMatch) return Span{i, e};
  if (size_t e = match_funny(s, i); e != kNoMatch) return Span{i, e};
  if (size_t e = match_cont_str(s, i); e != kNoMatch) return Span{i, e};
  size_t j = i;
  while (j < s.size() && pytext::is_word(s[j])) ++j;
  if (j > i) return Span{i, j};
  return std::nullopt;
}

bool is_triple_quote_start(PyView token) {
  if (token.size() < 3) return false;
  char32_t q = token.back();
  return is_quote(q) && token[token.size() - 2] == q && token[token.size() - 3] == q &&
         string_prefix_length(token, 0) == token.size() - 3;
}

// The opening quote of a one-line-string token whose first 1-3 characters are in
// tokenize's single_quoted set, or 0.
char32_t single_quote_start(PyView token) {
  for (size_t k = 0; k <= 2 && k < token.size(); ++k) {
    if (is_quote(token[k])) return string_prefix_length(token, 0) == k ? token[k] : 0;
  }
  return 0;
}

class Tokenizer {
 public:
  explicit Tokenizer(const std::vector<PyStr>& lines) : lines_(lines) {
    size_t chars = 0;
    for (const auto& l : lines) chars += l.size();
    tokens_.reserve(chars / 3 + 8);
  }

  std::vector<Token> run() {
    PyView line;
    PyView last_line;
    size_t next = 0;
    for (;;) {
      last_line = line;
      line = next < lines_.size() ? PyView(lines_[next]) : PyView();
      ++next;
      ++lnum_;
      size_t pos = 0;
      size_t max = line.size();

      if (in_string_) {
        if (line.empty()) return std::move(tokens_);  // TokenError: EOF in string
        size_t end =
            triple_ ? match_triple_tail(line, 0, quote_) : match_single_tail(line, 0, quote_);
        if (end != kNoMatch) {
          pos = end;
          emit_at(TokenType::kString, contstr_, str_line_, str_col_);
          in_string_ = false;
        } else if (needcont_ && !ends_with(line, U"\\\n") && !ends_with(line, U"\\\r\n")) {
          emit_at(TokenType::kErrorToken, contstr_, str_line_, str_col_);
          in_string_ = false;
          continue;
        } else {
          continue;
        }
      } else if (parenlev_ == 0 && !continued_) {
        if (line.empty()) break;
        int column = 0;
        while (pos < max) {
          if (line[pos] == U' ') {
            ++column;
          } else if (line[pos] == U'\t') {
            column = (column / kTabSize + 1) * kTabSize;
          } else if (line[pos] == U'\f') {
            column = 0;
          } else {
            break;
          }
          ++pos;
        }
        if (pos == max) break;
        char32_t c = line[pos];
        if (c == U'#' || c == U'\r' || c == U'\n') {
          if (c == U'#') {
            size_t end = max;
            while (end > pos && (line[end - 1] == U'\r' || line[end - 1] == U'\n')) --end;
            emit(TokenType::kComment, line.substr(pos, end - pos), pos);
            pos = end;
          }
          emit(TokenType::kNl, line.substr(pos), pos);
          continue;
        }
        if (column > indents_.back()) {
          indents_.push_back(column);
          emit(TokenType::kIndent, line.substr(0, pos), 0);
        }
        while (column < indents_.back()) {
          if (std::find(indents_.begin(), indents_.end(), column) == indents_.end())
            throw IndentationFailure(lnum_ - 1);
          indents_.pop_back();
          emit(TokenType::kDedent, PyView(), pos);
        }
      } else {
        if (line.empty()) return std::move(tokens_);  // TokenError: EOF in statement
        continued_ = false;
      }

      while (pos < max) {
        auto m = pseudo_match(line, pos);
        if (!m) {
          emit(TokenType::kErrorToken, line.substr(pos, 1), pos);
          ++pos;
          continue;
        }
        size_t start = m->start;
        pos = m->end;
        if (start == m->end) continue;
        PyView token = line.substr(start, m->end - start);
        char32_t initial = token[0];
        if (pytext::is_ascii_digit(initial) ||
            (initial == U'.' && token != U"." && token != U"...")) {
          emit(TokenType::kNumber, token, start);
        } else if (initial == U'\r' || initial == U'\n') {
          emit(parenlev_ > 0 ? TokenType::kNl : TokenType::kNewline, token, start);
        } else if (initial == U'#') {
          emit(TokenType::kComment, token, start);
        } else if (is_triple_quote_start(token)) {
          quote_ = token.back();
          size_t end = match_triple_tail(line, pos, quote_);
          if (end != kNoMatch) {
            pos = end;
            emit(TokenType::kString, line.substr(start, pos - start), start);
          } else {
            begin_string(line, start, /*triple=*/true, /*needcont=*/false);
            break;
          }
        } else if (char32_t q = single_quote_start(token); q != 0) {
          if (token.back() == U'\n') {
            quote_ = q;
            begin_string(line, start, /*triple=*/false, /*needcont=*/true);
            break;
          }
          emit(TokenType::kString, token, start);
        } else if (pytext::is_identifier_start(initial)) {
          emit(TokenType::kName, token, start);
        } else if (initial == U'\\') {
          continued_ = true;
        } else {
          if (initial == U'(' || initial == U'[' || initial == U'{') {
            ++parenlev_;
          } else if (initial == U')' || initial == U']' || initial == U'}') {
            --parenlev_;
          }
          emit(TokenType::kOp, token, start);
        }
      }
    }
    // An input not ending in a newline gets an empty NEWLINE, unless it ends in a comment.
    if (!last_line.empty() && last_line.back() != U'\r' && last_line.back() != U'\n' &&
        !starts_with(py_strip(last_line), U"#"))
      emit_at(TokenType::kNewline, PyView(), lnum_ - 2, static_cast<int>(last_line.size()));
    for (size_t k = 1; k < indents_.size(); ++k)
      emit_at(TokenType::kDedent, PyView(), lnum_ - 1, 0);
    emit_at(TokenType::kEndMarker, PyView(), lnum_ - 1, 0);
    return std::move(tokens_);
  }

 private:
  void emit(TokenType type, PyView text, size_t col) {
    emit_at(type, text, lnum_ - 1, static_cast<int>(col));
  }
  void emit_at(TokenType type, PyView text, int line, int col) {
    tokens_.push_back(Token{type, text, line, col});
  }
  void begin_string(PyView line, size_t start, bool triple, bool needcont) {
    in_string_ = true;
    triple_ = triple;
    needcont_ = needcont;
    str_line_ = lnum_ - 1;
    str_col_ = static_cast<int>(start);
    contstr_ = line.substr(start);
  }

  const std::vector<PyStr>& lines_;
  std::vector<Token> tokens_;
  int lnum_ = 0;
  int parenlev_ = 0;
  bool continued_ = false;
  std::vector<int> indents_{0};
  bool in_string_ = false;
  bool triple_ = false;
  bool needcont_ = false;
  char32_t quote_ = 0;
  PyView contstr_;  // first line of the string being continued
  int str_line_ = 0;
  int str_col_ = 0;
};

}  // namespace

std::vector<Token> python_tokenize(const std::vector<PyStr>& lines) {
  return Tokenizer(lines).run();
}

}  // namespace lava::notebook
