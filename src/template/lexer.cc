#include "template/lexer.h"

#include <cstdlib>
#include <cstring>
#include <deque>

#include "pytext/chars.h"
#include "pytext/utf8.h"
#include "template/errors.h"
#include "template/pyops.h"

namespace lava::tmpl {

Delimiters Delimiters::from_char(char c) {
  char close = c == '{' ? '}' : c == '<' ? '>' : c == '[' ? ']' : c == '(' ? ')' : c;
  Delimiters d;
  d.block_start = std::string(1, c) + "%";
  d.block_end = std::string("%") + close;
  d.variable_start = std::string(1, c) + "{";
  d.variable_end = std::string("}") + close;
  d.comment_start = std::string(1, c) + "#";
  d.comment_end = std::string("#") + close;
  return d;
}

std::string describe_token_type(Tok t) {
  switch (t) {
    case Tok::Add:
      return "+";
    case Tok::Sub:
      return "-";
    case Tok::Div:
      return "/";
    case Tok::FloorDiv:
      return "//";
    case Tok::Mul:
      return "*";
    case Tok::Mod:
      return "%";
    case Tok::Pow:
      return "**";
    case Tok::Tilde:
      return "~";
    case Tok::LBracket:
      return "[";
    case Tok::RBracket:
      return "]";
    case Tok::LParen:
      return "(";
    case Tok::RParen:
      return ")";
    case Tok::LBrace:
      return "{";
    case Tok::RBrace:
      return "}";
    case Tok::Eq:
      return "==";
    case Tok::Ne:
      return "!=";
    case Tok::Gt:
      return ">";
    case Tok::GtEq:
      return ">=";
    case Tok::Lt:
      return "<";
    case Tok::LtEq:
      return "<=";
    case Tok::Assign:
      return "=";
    case Tok::Dot:
      return ".";
    case Tok::Colon:
      return ":";
    case Tok::Pipe:
      return "|";
    case Tok::Comma:
      return ",";
    case Tok::Semicolon:
      return ";";
    case Tok::BlockBegin:
      return "begin of statement block";
    case Tok::BlockEnd:
      return "end of statement block";
    case Tok::VariableBegin:
      return "begin of print statement";
    case Tok::VariableEnd:
      return "end of print statement";
    case Tok::Data:
      return "template data / text";
    case Tok::Eof:
      return "end of template";
    case Tok::Name:
      return "name";
    case Tok::String:
      return "string";
    case Tok::Integer:
      return "integer";
    case Tok::Float:
      return "float";
  }
  return "?";
}

std::string describe_token(const Token& t) {
  if (t.type == Tok::Name) return t.value;
  return describe_token_type(t.type);
}

std::string normalize_source(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

namespace {

bool starts_with_at(std::string_view s, size_t pos, std::string_view what) {
  return s.size() - pos >= what.size() && s.compare(pos, what.size(), what) == 0;
}

// Length of the run of (Unicode) whitespace at pos.
size_t skip_space(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size()) {
    size_t j = i;
    char32_t c = pytext::next(s, j);
    if (!pytext::is_space(c)) break;
    i = j;
  }
  return i;
}

int count_newlines(std::string_view s) {
  int n = 0;
  for (char c : s)
    if (c == '\n') ++n;
  return n;
}

// str.rstrip(): drops trailing Unicode whitespace.
std::string_view rstrip(std::string_view s) {
  size_t e = s.size();
  while (e > 0) {
    size_t start = e - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t j = start;
    char32_t c = pytext::next(s, j);
    if (!pytext::is_space(c)) break;
    e = start;
  }
  return s.substr(0, e);
}

bool is_word_char(std::string_view s, size_t pos, size_t* next_pos) {
  unsigned char b = s[pos];
  if (b < 0x80) {
    if (std::isalnum(b) || b == '_') {
      *next_pos = pos + 1;
      return true;
    }
    return false;
  }
  size_t j = pos;
  char32_t c = pytext::next(s, j);
  if (pytext::is_alnum(c) || c == 0xB7) {
    *next_pos = j;
    return true;
  }
  return false;
}

struct TagLexer {
  std::string_view src;
  const Delimiters& d;
  std::vector<Token>& out;
  int line = 1;
  size_t pos = 0;  // where the next step() starts

  [[noreturn]] void fail(const std::string& msg) { throw EvalError(msg, line); }

  // Matches (\d+_)*\d+ at pos; returns end or npos.
  static size_t digits_us(std::string_view s, size_t pos) {
    size_t i = pos;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return std::string::npos;
    while (true) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i + 1 < s.size() && s[i] == '_' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        ++i;
        continue;
      }
      return i;
    }
  }

  size_t match_float(size_t pos) const {
    if (pos > 0 && src[pos - 1] == '.') return std::string::npos;
    size_t i = digits_us(src, pos);
    if (i == std::string::npos) return i;
    // fraction?
    size_t frac_end = std::string::npos;
    if (i < src.size() && src[i] == '.') frac_end = digits_us(src, i + 1);
    size_t after = frac_end != std::string::npos ? frac_end : i;
    if (after < src.size() && (src[after] == 'e' || src[after] == 'E')) {
      size_t j = after + 1;
      if (j < src.size() && (src[j] == '+' || src[j] == '-')) ++j;
      size_t e = digits_us(src, j);
      if (e != std::string::npos) return e;
    }
    return frac_end;
  }

  size_t match_integer(size_t pos) const {
    auto prefixed = [&](char p, auto valid) -> size_t {
      if (pos + 1 < src.size() && src[pos] == '0' &&
          (src[pos + 1] == p || src[pos + 1] == p - 32)) {
        size_t i = pos + 2;
        size_t end = std::string::npos;
        while (true) {
          size_t j = i;
          if (j < src.size() && src[j] == '_') ++j;
          if (j < src.size() && valid(src[j])) {
            i = j + 1;
            end = i;
          } else {
            break;
          }
        }
        return end;
      }
      return std::string::npos;
    };
    size_t r;
    if ((r = prefixed('b', [](char c) { return c == '0' || c == '1'; })) != std::string::npos)
      return r;
    if ((r = prefixed('o', [](char c) { return c >= '0' && c <= '7'; })) != std::string::npos)
      return r;
    if ((r = prefixed('x', [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         })) != std::string::npos)
      return r;
    char c = src[pos];
    if (c >= '1' && c <= '9') {
      size_t i = pos + 1;
      while (true) {
        size_t j = i;
        if (j < src.size() && src[j] == '_') ++j;
        if (j < src.size() && std::isdigit(static_cast<unsigned char>(src[j])))
          i = j + 1;
        else
          break;
      }
      return i;
    }
    if (c == '0') {
      size_t i = pos + 1;
      while (true) {
        size_t j = i;
        if (j < src.size() && src[j] == '_') ++j;
        if (j < src.size() && src[j] == '0')
          i = j + 1;
        else
          break;
      }
      return i;
    }
    return std::string::npos;
  }

  size_t match_string(size_t pos) const {
    char q = src[pos];
    if (q != '\'' && q != '"') return std::string::npos;
    size_t i = pos + 1;
    while (i < src.size()) {
      if (src[i] == '\\') {
        if (i + 1 >= src.size()) return std::string::npos;
        i += 2;
        continue;
      }
      if (src[i] == q) return i + 1;
      ++i;
    }
    return std::string::npos;
  }

  std::string unescape(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    size_t i = 0;
    while (i < body.size()) {
      char c = body[i];
      if (c != '\\' || i + 1 >= body.size()) {
        out.push_back(c);
        ++i;
        continue;
      }
      char e = body[i + 1];
      i += 2;
      switch (e) {
        case '\n':
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '\'':
          out.push_back('\'');
          break;
        case '"':
          out.push_back('"');
          break;
        case 'a':
          out.push_back('\a');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'v':
          out.push_back('\v');
          break;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7': {
          unsigned v = static_cast<unsigned>(e - '0');
          for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k)
            v = v * 8 + static_cast<unsigned>(body[i++] - '0');
          pytext::append(out, v);
          break;
        }
        case 'x':
        case 'u':
        case 'U': {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          char32_t v = 0;
          for (int k = 0; k < n; ++k) {
            if (i >= body.size() || !std::isxdigit(static_cast<unsigned char>(body[i]))) {
              const char* what = e == 'x'   ? "truncated \\xXX escape"
                                 : e == 'u' ? "truncated \\uXXXX escape"
                                            : "truncated \\UXXXXXXXX escape";
              fail(what);
            }
            char h = body[i++];
            v = v * 16 +
                static_cast<char32_t>(std::isdigit(static_cast<unsigned char>(h))
                                          ? h - '0'
                                          : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
          }
          if (v > 0x10FFFF) fail("illegal Unicode character");
          pytext::append(out, v);
          break;
        }
        case 'N':
          fail("\\N{...} escapes are not supported");
        default:
          out.push_back('\\');
          out.push_back(e);
      }
    }
    return out;
  }

  // Lexes one tag body (block or variable) starting at pos; returns the position after
  // the end delimiter (or source end).
  size_t lex_tag(size_t pos, bool block) {
    const std::string& end = block ? d.block_end : d.variable_end;
    std::vector<char> balance;
    while (true) {
      if (balance.empty()) {
        // end rules: for blocks "+END" | "-END\s*" | "END"; for variables "-END\s*" | "END".
        if (block && pos < src.size() && src[pos] == '+' && starts_with_at(src, pos + 1, end)) {
          out.push_back({Tok::BlockEnd, line, {}});
          return pos + 1 + end.size();
        }
        if (pos < src.size() && src[pos] == '-' && starts_with_at(src, pos + 1, end)) {
          size_t after = skip_space(src, pos + 1 + end.size());
          out.push_back({block ? Tok::BlockEnd : Tok::VariableEnd, line, {}});
          line += count_newlines(src.substr(pos, after - pos));
          return after;
        }
        if (starts_with_at(src, pos, end)) {
          out.push_back({block ? Tok::BlockEnd : Tok::VariableEnd, line, {}});
          return pos + end.size();
        }
      }
      if (pos >= src.size()) return pos;
      // whitespace
      size_t ws = skip_space(src, pos);
      if (ws > pos) {
        line += count_newlines(src.substr(pos, ws - pos));
        pos = ws;
        continue;
      }
      size_t e;
      if ((e = match_float(pos)) != std::string::npos) {
        std::string text;
        for (char c : src.substr(pos, e - pos))
          if (c != '_') text.push_back(c);
        Token t{Tok::Float, line, {}};
        t.fval = std::strtod(text.c_str(), nullptr);
        out.push_back(std::move(t));
        pos = e;
        continue;
      }
      if ((e = match_integer(pos)) != std::string::npos) {
        std::string text;
        for (char c : src.substr(pos, e - pos))
          if (c != '_') text.push_back(c);
        Token t{Tok::Integer, line, {}};
        int base = 10;
        size_t skip = 0;
        if (text.size() > 1 && text[0] == '0' &&
            std::isalpha(static_cast<unsigned char>(text[1]))) {
          char p = static_cast<char>(std::tolower(static_cast<unsigned char>(text[1])));
          base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
          skip = 2;
        }
        uint64_t v = 0;
        for (size_t k = skip; k < text.size(); ++k) {
          int dgt = std::isdigit(static_cast<unsigned char>(text[k]))
                        ? text[k] - '0'
                        : std::tolower(static_cast<unsigned char>(text[k])) - 'a' + 10;
          if (v > (static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(dgt)) /
                      static_cast<uint64_t>(base))
            fail("integer literal too large (integers are 64-bit)");
          v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(dgt);
        }
        t.ival = static_cast<int64_t>(v);
        out.push_back(std::move(t));
        pos = e;
        continue;
      }
      size_t np;
      if (is_word_char(src, pos, &np)) {
        size_t i = np;
        while (i < src.size() && is_word_char(src, i, &np)) i = np;
        std::string name(src.substr(pos, i - pos));
        size_t j = 0;
        char32_t first = pytext::next(name, j);
        if (!(first == '_' || pytext::is_alpha(first))) fail("Invalid character in identifier");
        out.push_back({Tok::Name, line, std::move(name)});
        pos = i;
        continue;
      }
      if ((e = match_string(pos)) != std::string::npos) {
        std::string_view body = src.substr(pos + 1, e - pos - 2);
        Token t{Tok::String, line, unescape(body)};
        out.push_back(std::move(t));
        line += count_newlines(src.substr(pos, e - pos));
        pos = e;
        continue;
      }
      // operators, longest first
      static const struct {
        const char* text;
        Tok tok;
      } ops[] = {
          {"//", Tok::FloorDiv}, {"**", Tok::Pow},     {"==", Tok::Eq},    {"!=", Tok::Ne},
          {">=", Tok::GtEq},     {"<=", Tok::LtEq},    {"+", Tok::Add},    {"-", Tok::Sub},
          {"/", Tok::Div},       {"*", Tok::Mul},      {"%", Tok::Mod},    {"~", Tok::Tilde},
          {"[", Tok::LBracket},  {"]", Tok::RBracket}, {"(", Tok::LParen}, {")", Tok::RParen},
          {"{", Tok::LBrace},    {"}", Tok::RBrace},   {">", Tok::Gt},     {"<", Tok::Lt},
          {"=", Tok::Assign},    {".", Tok::Dot},      {":", Tok::Colon},  {"|", Tok::Pipe},
          {",", Tok::Comma},     {";", Tok::Semicolon}};
      bool matched = false;
      for (const auto& op : ops) {
        if (starts_with_at(src, pos, op.text)) {
          char c = op.text[0];
          if (op.text[1] == 0) {
            if (c == '{')
              balance.push_back('}');
            else if (c == '(')
              balance.push_back(')');
            else if (c == '[')
              balance.push_back(']');
            else if (c == '}' || c == ')' || c == ']') {
              if (balance.empty()) fail(std::string("unexpected '") + c + "'");
              char expected = balance.back();
              balance.pop_back();
              if (expected != c)
                fail(std::string("unexpected '") + c + "', expected '" + expected + "'");
            }
          }
          out.push_back({op.tok, line, {}});
          pos += std::strlen(op.text);
          matched = true;
          break;
        }
      }
      if (matched) continue;
      size_t j = pos;
      char32_t bad = pytext::next(src, j);
      std::string ch;
      pytext::append(ch, bad);
      fail("unexpected char " + repr_string(ch) + " at " +
           std::to_string(pytext::length(src.substr(0, pos))));
    }
  }

  void emit_data(std::string_view text) {
    if (!text.empty()) out.push_back({Tok::Data, line, std::string(text)});
  }

  // Lexes the next piece: template data up to a tag and the whole tag. Returns false at
  // the end of the source.
  bool step() {
    const char lead = d.block_start[0];
    const std::string* starts[3] = {&d.variable_start, &d.comment_start, &d.block_start};
    if (pos >= src.size()) return false;
    {
      // Find the earliest tag start at or after pos.
      size_t p = pos;
      int kind = -1;  // 0 variable, 1 comment, 2 block, 3 raw
      size_t tag_end = 0;
      char sign = 0;
      while (true) {
        p = src.find(lead, p);
        if (p == std::string_view::npos) break;
        // raw: BLOCK_START (-|+|) \s* raw \s* (-BLOCK_END \s* | BLOCK_END)
        if (starts_with_at(src, p, d.block_start)) {
          size_t i = p + d.block_start.size();
          char s = 0;
          if (i < src.size() && (src[i] == '-' || src[i] == '+')) s = src[i++];
          i = skip_space(src, i);
          if (starts_with_at(src, i, "raw")) {
            i = skip_space(src, i + 3);
            if (i < src.size() && src[i] == '-' && starts_with_at(src, i + 1, d.block_end)) {
              kind = 3;
              sign = s;
              tag_end = skip_space(src, i + 1 + d.block_end.size());
              break;
            }
            if (starts_with_at(src, i, d.block_end)) {
              kind = 3;
              sign = s;
              tag_end = i + d.block_end.size();
              break;
            }
          }
        }
        for (int k = 0; k < 3; ++k) {
          if (starts_with_at(src, p, *starts[k])) {
            kind = k;
            size_t i = p + starts[k]->size();
            if (i < src.size() && (src[i] == '-' || src[i] == '+')) sign = src[i++];
            tag_end = i;
            break;
          }
        }
        if (kind >= 0) break;
        ++p;
      }
      if (kind < 0) {
        emit_data(src.substr(pos));
        line += count_newlines(src.substr(pos));
        pos = src.size();
        return true;
      }
      std::string_view text = src.substr(pos, p - pos);
      int stripped_newlines = 0;
      if (sign == '-') {
        std::string_view kept = rstrip(text);
        stripped_newlines = count_newlines(text.substr(kept.size()));
        text = kept;
      }
      emit_data(text);
      line += count_newlines(text) + stripped_newlines;
      int begin_line = line;
      line += count_newlines(src.substr(p, tag_end - p));
      pos = tag_end;
      if (kind == 0) {
        out.push_back({Tok::VariableBegin, begin_line, {}});
        pos = lex_tag(pos, false);
      } else if (kind == 2) {
        out.push_back({Tok::BlockBegin, begin_line, {}});
        pos = lex_tag(pos, true);
      } else if (kind == 1) {
        pos = lex_comment(pos);
      } else {
        pos = lex_raw(pos);
      }
    }
    return true;
  }

  size_t lex_comment(size_t pos) {
    // (.*?)((?:\+END|\-END\s*|END))
    const std::string& end = d.comment_end;
    for (size_t p = pos; p < src.size(); ++p) {
      if (src[p] == '+' && starts_with_at(src, p + 1, end)) {
        line += count_newlines(src.substr(pos, p - pos));
        return p + 1 + end.size();
      }
      if (src[p] == '-' && starts_with_at(src, p + 1, end)) {
        size_t after = skip_space(src, p + 1 + end.size());
        line += count_newlines(src.substr(pos, after - pos));
        return after;
      }
      if (starts_with_at(src, p, end)) {
        line += count_newlines(src.substr(pos, p - pos));
        return p + end.size();
      }
    }
    if (pos >= src.size()) return pos;
    fail("Missing end of comment tag");
  }

  size_t lex_raw(size_t pos) {
    // (.*?)((?:BLOCK_START(\-|\+|))\s*endraw\s*(?:\+END|\-END\s*|END))
    const std::string& bs = d.block_start;
    const std::string& be = d.block_end;
    for (size_t p = pos; p < src.size(); ++p) {
      if (!starts_with_at(src, p, bs)) continue;
      size_t i = p + bs.size();
      char sign = 0;
      if (i < src.size() && (src[i] == '-' || src[i] == '+')) sign = src[i++];
      i = skip_space(src, i);
      if (!starts_with_at(src, i, "endraw")) continue;
      i = skip_space(src, i + 6);
      size_t end;
      if (i < src.size() && src[i] == '+' && starts_with_at(src, i + 1, be)) {
        end = i + 1 + be.size();
      } else if (i < src.size() && src[i] == '-' && starts_with_at(src, i + 1, be)) {
        end = skip_space(src, i + 1 + be.size());
      } else if (starts_with_at(src, i, be)) {
        end = i + be.size();
      } else {
        continue;
      }
      std::string_view text = src.substr(pos, p - pos);
      int stripped_newlines = 0;
      if (sign == '-') {
        std::string_view kept = rstrip(text);
        stripped_newlines = count_newlines(text.substr(kept.size()));
        text = kept;
      }
      emit_data(text);
      line += count_newlines(text) + stripped_newlines;
      line += count_newlines(src.substr(p, end - p));
      return end;
    }
    if (pos >= src.size()) return pos;
    fail("Missing end of raw directive");
  }
};

}  // namespace

struct TokenStream::Impl {
  Impl(std::string_view source, const Delimiters& d) : lexer{source, d, buf} {}
  std::vector<Token> buf;  // buf[head..] are pending tokens
  size_t head = 0;
  TagLexer lexer;
  bool eof = false;
  size_t pending() const { return buf.size() - head; }
  // Makes sure `n` tokens are buffered (the last one may be Eof).
  void fill(size_t n) {
    if (head == buf.size()) {
      buf.clear();
      head = 0;
    }
    while (pending() < n && !eof) {
      if (!lexer.step()) {
        buf.push_back({Tok::Eof, lexer.line, {}});
        eof = true;
      }
    }
  }
};

TokenStream::TokenStream(std::string_view source, const Delimiters& d)
    : impl_(std::make_unique<Impl>(source, d)) {}
TokenStream::~TokenStream() = default;

const Token& TokenStream::current() {
  impl_->fill(1);
  return impl_->buf[impl_->head];
}

const Token& TokenStream::peek() {
  impl_->fill(2);
  return impl_->pending() > 1 ? impl_->buf[impl_->head + 1] : impl_->buf[impl_->head];
}

Token TokenStream::next() {
  impl_->fill(1);
  Token& front = impl_->buf[impl_->head];
  if (front.type == Tok::Eof) return front;
  Token t = std::move(front);
  ++impl_->head;
  return t;
}

std::vector<Token> tokenize(std::string_view source, const Delimiters& d) {
  TokenStream stream(source, d);
  std::vector<Token> out;
  while (true) {
    out.push_back(stream.next());
    if (out.back().type == Tok::Eof) return out;
  }
}

}  // namespace lava::tmpl
