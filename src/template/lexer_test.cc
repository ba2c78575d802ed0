#include "template/lexer.h"

#include <gtest/gtest.h>

#include "template/errors.h"

namespace lava::tmpl {
namespace {

std::vector<Tok> types(const std::vector<Token>& toks) {
  std::vector<Tok> out;
  for (const auto& t : toks) out.push_back(t.type);
  return out;
}

TEST(Lexer, DelimiterPairs) {
  auto d = Delimiters::from_char('<');
  EXPECT_EQ(d.variable_start, "<{");
  EXPECT_EQ(d.variable_end, "}>");
  EXPECT_EQ(d.block_start, "<%");
  EXPECT_EQ(d.comment_end, "#>");
  auto plus = Delimiters::from_char('+');
  EXPECT_EQ(plus.variable_end, "}+");
  EXPECT_EQ(Delimiters::from_char('[').block_end, "%]");
}

TEST(Lexer, CurlyTagsAreDataUnderAngleDelimiters) {
  auto toks = tokenize("a {{ b }} <{ c }>", Delimiters::from_char('<'));
  ASSERT_EQ(types(toks), (std::vector<Tok>{Tok::Data, Tok::VariableBegin, Tok::Name,
                                           Tok::VariableEnd, Tok::Eof}));
  EXPECT_EQ(toks[0].value, "a {{ b }} ");
  EXPECT_EQ(toks[2].value, "c");
}

TEST(Lexer, WhitespaceControlStripsNeighbours) {
  auto toks = tokenize("a  \n {%- if x -%}\n  b", Delimiters{});
  EXPECT_EQ(toks.front().value, "a");
  EXPECT_EQ(toks[toks.size() - 2].value, "b");
}

TEST(Lexer, RawAndCommentsProduceData) {
  auto toks = tokenize("{% raw %}{{ x }}{% endraw %}{# c #}y", Delimiters{});
  ASSERT_EQ(types(toks), (std::vector<Tok>{Tok::Data, Tok::Data, Tok::Eof}));
  EXPECT_EQ(toks[0].value, "{{ x }}");
}

TEST(Lexer, Numbers) {
  auto toks = tokenize("{{ 0x1F 1_000 2.5e3 a.0.1 }}", Delimiters{});
  EXPECT_EQ(toks[1].ival, 31);
  EXPECT_EQ(toks[2].ival, 1000);
  EXPECT_DOUBLE_EQ(toks[3].fval, 2500.0);
  // "a.0.1" is a, ., 0, ., 1 (no float after a dot)
  EXPECT_EQ(toks[5].type, Tok::Dot);
  EXPECT_EQ(toks[6].type, Tok::Integer);
}

TEST(Lexer, StringEscapes) {
  auto toks = tokenize(R"({{ "a\tb\x41\u00e9\q" }})", Delimiters{});
  EXPECT_EQ(toks[1].value, "a\tbA\xC3\xA9\\q");
}

TEST(Lexer, LineNumbers) {
  auto toks = tokenize("a\nb\n{{ x\n }}\n{% if y %}", Delimiters{});
  EXPECT_EQ(toks[1].line, 3);  // {{
  EXPECT_EQ(toks[5].line, 5);  // {%
}

TEST(Lexer, Errors) {
  EXPECT_THROW(tokenize("{{ (1] }}", Delimiters{}), EvalError);
  EXPECT_THROW(tokenize("{{ a ! b }}", Delimiters{}), EvalError);
  EXPECT_THROW(tokenize("x {# open", Delimiters{}), EvalError);
}

TEST(Lexer, NormalizeDropsOneTrailingNewline) {
  EXPECT_EQ(normalize_source("a\r\nb\r\n\n"), "a\nb\n");
  EXPECT_EQ(normalize_source("x"), "x");
}

}  // namespace
}  // namespace lava::tmpl
