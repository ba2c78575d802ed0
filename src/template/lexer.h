// Splits template source into tokens the way Jinja2's regex lexer does: configurable
// delimiters, whitespace control (`-`/`+`), raw blocks, comments, and the expression
// tokens inside tags (names, numbers, strings, operators with bracket balancing).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lava::tmpl {

enum class Tok : uint8_t {
  Data,
  VariableBegin,
  VariableEnd,
  BlockBegin,
  BlockEnd,
  Name,
  String,
  Integer,
  Float,
  // operators
  Add,
  Sub,
  Div,
  FloorDiv,
  Mul,
  Mod,
  Pow,
  Tilde,
  LBracket,
  RBracket,
  LParen,
  RParen,
  LBrace,
  RBrace,
  Eq,
  Ne,
  Gt,
  GtEq,
  Lt,
  LtEq,
  Assign,
  Dot,
  Colon,
  Pipe,
  Comma,
  Semicolon,
  Eof,
};

struct Token {
  Tok type;
  int line;
  std::string value;  // name, string contents or template data
  int64_t ival = 0;
  double fval = 0;
};

// The six delimiter strings (Jinja's block/variable/comment start and end).
struct Delimiters {
  std::string block_start = "{%", block_end = "%}";
  std::string variable_start = "{{", variable_end = "}}";
  std::string comment_start = "{#", comment_end = "#}";
  // The framework's -d CHAR: '{' '<' '[' '(' pair with their closing bracket, any other
  // character is used on both sides.
  static Delimiters from_char(char c);
};

// Human-readable token description as used in Jinja's syntax errors.
std::string describe_token(const Token& t);
std::string describe_token_type(Tok t);

// Tokens produced on demand (the parser needs one token of look-ahead), so a big template
// never holds all its tokens at once. Lexical errors throw EvalError (with line) when the
// offending text is reached.
class TokenStream {
 public:
  TokenStream(std::string_view source, const Delimiters& d);  // `source` must outlive this
  ~TokenStream();
  const Token& current();
  const Token& peek();  // the token after current()
  Token next();         // returns current() and advances (stays at Eof)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Tokenizes all of `source`; throws EvalError (with line) on lexical errors.
std::vector<Token> tokenize(std::string_view source, const Delimiters& d);

// Newline normalisation Jinja applies before lexing: \r\n and \r become \n and one trailing
// newline is dropped.
std::string normalize_source(std::string_view source);

}  // namespace lava::tmpl
