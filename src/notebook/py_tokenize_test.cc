#include "notebook/py_tokenize.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "pytext/reference_python.h"
#include "pytext/utf8.h"

namespace lava::notebook {
namespace {

using json = nlohmann::json;

// Python's tokenize.generate_tokens over the same lines, as [type, text, line, col]
// (for a token spanning lines, text up to the end of its first line, as ours keeps it),
// followed by "TokenError"/"IndentationError" when tokenize raised one.
const char* kReferenceTokenizer = R"(
import json, sys, tokenize
out = []
for lines in json.load(sys.stdin):
    toks = []
    try:
        for t in tokenize.generate_tokens(iter(lines).__next__):
            text = t.string
            if t.start[0] != t.end[0] and t.type != tokenize.ENDMARKER:
                text = lines[t.start[0] - 1][t.start[1]:]
            toks.append([tokenize.tok_name[t.type], text, t.start[0] - 1, t.start[1]])
    except tokenize.TokenError:
        toks.append("TokenError")
    except IndentationError:
        toks.append("IndentationError")
    out.append(toks)
sys.stdout.write(json.dumps(out))
)";

const char* type_name(TokenType t) {
  switch (t) {
    case TokenType::kName:
      return "NAME";
    case TokenType::kNumber:
      return "NUMBER";
    case TokenType::kString:
      return "STRING";
    case TokenType::kOp:
      return "OP";
    case TokenType::kComment:
      return "COMMENT";
    case TokenType::kNl:
      return "NL";
    case TokenType::kNewline:
      return "NEWLINE";
    case TokenType::kIndent:
      return "INDENT";
    case TokenType::kDedent:
      return "DEDENT";
    case TokenType::kErrorToken:
      return "ERRORTOKEN";
    case TokenType::kEndMarker:
      return "ENDMARKER";
  }
  return "?";
}

std::vector<std::string> fixed_inputs() {
  return {
      "x = 1\n",
      "if x:\n    y = 2\nz\n",
      "if x:\n    a\n  b\n",
      "files = !ls\n",
      "a?\n",
      "%time x\n",
      "s = '''\nmulti\n'''\n",
      "s = 'unterminated\n",
      "f(\n1,\n",
      "x = 'a\\\nb'\n",
      "x = \"a\\\r\nb\"\n",
      "t = rb'''x''' + Rb\"y\" + f'{z}' + u'w'\n",
      "n = 0x1F + 0b101 + 0o17 + 1_000 + 1.5e-3j + .5 + 1. + 00 + 0_0 + 1e5\n",
      "a <<= b >>= c //= d **= e ... f -> g := h != i\n",
      "\tx\n        y\n",
      "\f  x\n",
      "x\x0c%ls\n",
      "x = 1\r",
      "# only comment",
      "  # indented comment\n",
      "x \\\ny\n",
      "x \\ \n",
      "é = 'ü'\n",
      "²x = 1\n",
      "$ ` ! ?\n",
      "\xe2\x80\xa8%ls\n",
      "x)\ny\n",
      "(\n)\n)\n  z\n",
      "\"\"\"never closed\n",
  };
}

// Seeded noise from characters that steer the tokenizer.
std::vector<std::string> random_inputs(int count) {
  const std::vector<std::string> atoms = {
      " ",    "\t",      "\n", "\r\n", "\r", "\x0c", "\\",       "'",
      "\"",   "'''",     "#",  "(",    ")",  "[",    "]",        "{",
      "}",    "=",       "%",  "!",    "?",  ".",    "0",        "1",
      "x",    "e",       "j",  "_",    "rb", "f",    "\xc3\xa9", "\xe2\x80\xa8",
      "    ", "if x:\n", ",",  ";",    "->", "**="};
  std::mt19937 rng(12345);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 25) + 1;
    for (int k = 0; k < n; ++k) s += atoms[rng() % atoms.size()];
    out.push_back(s);
  }
  return out;
}

TEST(PyTokenize, MatchesPythonTokenize) {
  std::vector<std::string> inputs = fixed_inputs();
  for (auto& s : random_inputs(3000)) inputs.push_back(s);
  json all_lines = json::array();
  std::vector<std::vector<PyStr>> lines_of;
  for (const auto& s : inputs) {
    lines_of.push_back(py_splitlines_keepends(pytext::decode_checked(s)));
    json lines = json::array();
    for (const auto& l : lines_of.back()) lines.push_back(pytext::encode(l));
    all_lines.push_back(lines);
  }
  auto want =
      json::parse(pytext::testing::run_reference_python(kReferenceTokenizer, all_lines.dump()));
  ASSERT_EQ(want.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    json got = json::array();
    try {
      for (const auto& t : python_tokenize(lines_of[i]))
        got.push_back({type_name(t.type), pytext::encode(t.text), t.line, t.col});
    } catch (const IndentationFailure&) {
      got.push_back("IndentationError");
    }
    json expected = want[i];
    // On TokenError Python stops where we stop; the marker is not ours to emit.
    if (!expected.empty() && expected.back() == "TokenError") expected.erase(expected.size() - 1);
    if (!expected.empty() && expected.back() == "IndentationError") {
      ASSERT_FALSE(got.empty());
      EXPECT_EQ(got.back(), "IndentationError") << json(inputs[i]).dump();
      continue;
    }
    EXPECT_EQ(got, expected) << json(inputs[i]).dump();
  }
}

}  // namespace
}  // namespace lava::notebook
