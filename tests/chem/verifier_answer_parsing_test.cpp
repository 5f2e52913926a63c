// Final-answer parsing of the chemistry verifiers: numbers in the notations models write, hedges,
// yes/no answers and label + probability (hand-checked values).
#include <gtest/gtest.h>

#include "chem/verifiers/answer_parsing.h"

using namespace retort::chem;

TEST(AnswerParsing, NumbersInManyNotations) {
  auto v = [](const char* s) { return parse_numeric_answer(s).value.value_or(-9999); };
  EXPECT_DOUBLE_EQ(v("-2.5"), -2.5);
  EXPECT_DOUBLE_EQ(v("\xE2\x88\x92" "2.5"), -2.5);  // unicode minus
  EXPECT_DOUBLE_EQ(v("1.2e-3"), 1.2e-3);
  EXPECT_DOUBLE_EQ(v("1.2E+3"), 1200);
  EXPECT_DOUBLE_EQ(v("1.2 x 10^-3"), 1.2e-3);
  EXPECT_DOUBLE_EQ(v("1.2 \xC3\x97 10^{-3} mol/L"), 1.2e-3);
  EXPECT_DOUBLE_EQ(v("1.2\xC3\x97" "10\xE2\x81\xBB\xC2\xB3"), 1.2e-3);  // 1.2×10⁻³
  EXPECT_DOUBLE_EQ(v("10^-3"), 1e-3);
  EXPECT_DOUBLE_EQ(v("-3.2 log(mol/L)"), -3.2);
  EXPECT_DOUBLE_EQ(v("about -7.5 kcal/mol"), -7.5);
  EXPECT_DOUBLE_EQ(v("logS = -2.1"), -2.1);
  EXPECT_DOUBLE_EQ(v("1,234.5 g"), 1234.5);
  EXPECT_DOUBLE_EQ(v(".5"), 0.5);
  EXPECT_DOUBLE_EQ(v("-2.1 (at 25 \xC2\xB0" "C)"), -2.1);  // a temperature is not a hedge
  EXPECT_DOUBLE_EQ(v("-2.1 \xC2\xB1 0.3"), -2.1);
  EXPECT_FALSE(parse_numeric_answer("no idea").value);
}

TEST(AnswerParsing, HedgedNumbersAreFlagged) {
  for (const char* s : {"-2 or -3", "between -2 and -3", "1.5-2.0", "1.5 to 2.0", "-2.1, -3.0", "either 1 or 2"})
    EXPECT_TRUE(parse_numeric_answer(s).hedged) << s;
  EXPECT_FALSE(parse_numeric_answer("-2.1 log units").hedged);
}

TEST(AnswerParsing, BinaryAnswers) {
  for (const char* s : {"yes", "Yes.", "TRUE", "1", "**Yes**", "`true`", "yes!"}) EXPECT_EQ(parse_binary_answer(s), true) << s;
  for (const char* s : {"no", "No.", "false", "0", "\"no\""}) EXPECT_EQ(parse_binary_answer(s), false) << s;
  for (const char* s : {"yes and no", "maybe", "probably yes", "y", "", "yes, it penetrates"})
    EXPECT_FALSE(parse_binary_answer(s).has_value()) << s;
}

TEST(AnswerParsing, LabelWithProbability) {
  auto a = parse_binary_with_probability("Yes (probability 0.83)");
  ASSERT_TRUE(a.label);
  EXPECT_TRUE(*a.label);
  EXPECT_DOUBLE_EQ(*a.probability, 0.83);
  auto b = parse_binary_with_probability("no; confidence 70%");
  ASSERT_TRUE(b.label);
  EXPECT_NEAR(*b.probability, 0.3, 1e-12);  // confidence in "no" -> P(positive) = 0.3
  EXPECT_FALSE(parse_binary_with_probability("yes or no").label);
  EXPECT_FALSE(parse_binary_with_probability("yes, p = 1.7").label);
  EXPECT_FALSE(parse_binary_with_probability("perhaps").label);
  EXPECT_FALSE(parse_binary_with_probability("yes").probability);
}
