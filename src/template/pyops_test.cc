#include <gtest/gtest.h>

#include <cmath>

#include "template/errors.h"
#include "template/pyformat.h"
#include "template/pyops.h"

namespace lava::tmpl {
namespace {

TEST(FloatRepr, MatchesPython) {
  EXPECT_EQ(float_repr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(float_repr(1e16), "1e+16");
  EXPECT_EQ(float_repr(1e17), "1e+17");
  EXPECT_EQ(float_repr(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(float_repr(2.0), "2.0");
  EXPECT_EQ(float_repr(0.0001), "0.0001");
  EXPECT_EQ(float_repr(0.00001), "1e-05");
  EXPECT_EQ(float_repr(-0.0), "-0.0");
  EXPECT_EQ(float_repr(1.5e-300), "1.5e-300");
  EXPECT_EQ(float_repr(HUGE_VAL), "inf");
  EXPECT_EQ(float_repr(NAN), "nan");
}

TEST(Repr, StringsChooseQuotesAndEscape) {
  EXPECT_EQ(repr_string("abc"), "'abc'");
  EXPECT_EQ(repr_string("it's"), "\"it's\"");
  EXPECT_EQ(repr_string("both ' \""), "'both \\' \"'");
  EXPECT_EQ(repr_string("a\nb\t\\"), "'a\\nb\\t\\\\'");
  EXPECT_EQ(repr_string("\x07"), "'\\x07'");
  EXPECT_EQ(repr_string("h\xC3\xA9llo"), "'h\xC3\xA9llo'");
  EXPECT_EQ(repr_string("\xC2\xA0"), "'\\xa0'");
}

TEST(Str, ContainersUseRepr) {
  Value d = Value::dict();
  d.dict_ref().set(Value("k"),
                   Value::list({Value(int64_t{1}), Value("x"), Value::none(), Value(2.5)}));
  d.dict_ref().set(Value(int64_t{2}), Value::tuple({Value(true)}));
  EXPECT_EQ(py_str(d), "{'k': [1, 'x', None, 2.5], 2: (True,)}");
  EXPECT_EQ(py_str(Value::tuple({})), "()");
  EXPECT_EQ(py_str(Value::undefined("x")), "");
}

TEST(Str, CyclicListPrintsEllipsis) {
  Value l = Value::list();
  l.seq().items.push_back(l);
  EXPECT_EQ(py_str(l), "[[...]]");
  l.seq().items.clear();  // break the cycle so the list is freed
}

TEST(Equality, NumbersAcrossTypes) {
  EXPECT_TRUE(py_eq(Value(int64_t{1}), Value(1.0)));
  EXPECT_TRUE(py_eq(Value(true), Value(int64_t{1})));
  EXPECT_FALSE(py_eq(Value("1"), Value(int64_t{1})));
  EXPECT_TRUE(py_eq(Value::undefined("a"), Value::undefined("b")));
  EXPECT_FALSE(py_eq(Value::list(), Value::tuple()));
  EXPECT_EQ(py_hash(Value(int64_t{3})), py_hash(Value(3.0)));
}

TEST(Compare, UnorderableTypesRaise) {
  EXPECT_THROW(py_cmp(Value(int64_t{1}), Value("a"), "<"), TypeErr);
  EXPECT_THROW(py_cmp(Value::undefined("'x' is undefined"), Value(int64_t{1}), "<"), UndefinedErr);
  EXPECT_EQ(py_cmp(Value("abc"), Value("abd"), "<"), -1);
  EXPECT_EQ(py_cmp(Value(NAN), Value(1.0), "<"), 2);
}

TEST(Arithmetic, PythonIntegerSemantics) {
  EXPECT_EQ(py_floordiv(Value(int64_t{-7}), Value(int64_t{2})).as_int(), -4);
  EXPECT_EQ(py_mod(Value(int64_t{-7}), Value(int64_t{3})).as_int(), 2);
  EXPECT_EQ(py_mod(Value(int64_t{7}), Value(int64_t{-3})).as_int(), -2);
  EXPECT_DOUBLE_EQ(py_truediv(Value(int64_t{7}), Value(int64_t{2})).as_float(), 3.5);
  EXPECT_DOUBLE_EQ(py_pow(Value(int64_t{2}), Value(int64_t{-1})).as_float(), 0.5);
  EXPECT_THROW(py_truediv(Value(int64_t{1}), Value(int64_t{0})), EvalError);
  EXPECT_THROW(py_mul(Value(INT64_MAX), Value(int64_t{2})), EvalError);
  EXPECT_EQ(py_mul(Value("ab"), Value(int64_t{3})).str(), "ababab");
  EXPECT_THROW(py_add(Value("a"), Value(int64_t{1})), TypeErr);
}

TEST(Arithmetic, MarkupEscapesPlainOperand) {
  Value r = py_add(Value::markup("<b>"), Value("<i>"));
  EXPECT_TRUE(r.safe());
  EXPECT_EQ(r.str(), "<b>&lt;i&gt;");
}

TEST(Parse, IntAndFloatLikePython) {
  EXPECT_EQ(*parse_py_int(" 42 ", 10), 42);
  EXPECT_EQ(*parse_py_int("1_000", 10), 1000);
  EXPECT_EQ(*parse_py_int("0x1A", 16), 26);
  EXPECT_EQ(*parse_py_int("0b101", 0), 5);
  EXPECT_FALSE(parse_py_int("4.2", 10));
  EXPECT_FALSE(parse_py_int("_1", 10));
  EXPECT_DOUBLE_EQ(*parse_py_float(" 1e3 "), 1000.0);
  EXPECT_TRUE(std::isinf(*parse_py_float("-Infinity")));
  EXPECT_FALSE(parse_py_float("0x10"));
  EXPECT_FALSE(parse_py_float("abc"));
}

TEST(Format, SpecMiniLanguage) {
  EXPECT_EQ(format_spec(Value(3.14159), ".2f"), "3.14");
  EXPECT_EQ(format_spec(Value(int64_t{1234567}), ","), "1,234,567");
  EXPECT_EQ(format_spec(Value("ab"), "^6"), "  ab  ");
  EXPECT_EQ(format_spec(Value(int64_t{255}), "#x"), "0xff");
  EXPECT_EQ(format_spec(Value(-2.5), "08.3f"), "-002.500");
  EXPECT_EQ(format_spec(Value(0.25), "%"), "25.000000%");
  EXPECT_THROW(format_spec(Value("a"), "d"), ValueErr);
}

TEST(Format, PercentOperator) {
  EXPECT_EQ(
      percent_format("%s-%d-%.2f", Value::tuple({Value("a"), Value(int64_t{3}), Value(3.14159)})),
      "a-3-3.14");
  EXPECT_EQ(percent_format("%5s|%-5s|", Value::tuple({Value("r"), Value("l")})), "    r|l    |");
  EXPECT_EQ(percent_format("%d%%", Value(int64_t{50})), "50%");
  EXPECT_THROW(percent_format("%s %s", Value::tuple({Value("a")})), TypeErr);
  EXPECT_THROW(percent_format("%s", Value::tuple({Value("a"), Value("b")})), TypeErr);
}

}  // namespace
}  // namespace lava::tmpl
