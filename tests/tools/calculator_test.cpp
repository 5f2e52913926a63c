// The calculator's arithmetic against hand-checked values, and its errors and bounds.
#include <gtest/gtest.h>

#include <cmath>

#include "tools/calculator.h"

using retort::tools::CalculatorError;
using retort::tools::evaluate_arithmetic;

namespace {

std::string error_of(const std::string& expression) {
  try {
    evaluate_arithmetic(expression);
  } catch (const CalculatorError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Calculator, PrecedenceAndAssociativity) {
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("1 + 2 * 3"), 7);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("(1 + 2) * 3"), 9);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("10 - 4 - 3"), 3);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("100 / 10 / 5"), 2);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("2 ^ 3 ^ 2"), 512);  // right-associative
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("2 ** 10"), 1024);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("-2 ^ 2"), -4);      // unary minus binds looser than ^
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("2 ^ -1"), 0.5);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("--3"), 3);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("3 * -2"), -6);
}

TEST(Calculator, NumbersIncludingScientificNotation) {
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("6.02214076e23 * 2"), 1.204428152e24);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("1.5E-3"), 0.0015);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic(".5 + 1."), 1.5);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("2e+2"), 200);
}

TEST(Calculator, ChemistryArithmetic) {
  // Ethanol C2H6O with IUPAC standard atomic weights 12.011, 1.008, 15.999: 46.069 g/mol.
  EXPECT_NEAR(evaluate_arithmetic("2*12.011 + 6*1.008 + 15.999"), 46.069, 1e-9);
  // pH of 1e-3 M HCl: 3.
  EXPECT_NEAR(evaluate_arithmetic("-log(1e-3)"), 3, 1e-12);
  // RT ln 10 at 298.15 K in kJ/mol: 8.314462618e-3 * 298.15 * 2.302585093 = 5.70829...
  EXPECT_NEAR(evaluate_arithmetic("8.314462618e-3 * 298.15 * ln(10)"), 5.708, 5e-4);
}

TEST(Calculator, FunctionsAndConstants) {
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("sqrt(16)"), 4);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("cbrt(27)"), 3);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("ln(e)"), 1);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("log(1000)"), 3);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("log2(8)"), 3);
  EXPECT_NEAR(evaluate_arithmetic("sin(pi / 2)"), 1, 1e-15);
  EXPECT_NEAR(evaluate_arithmetic("cos(pi)"), -1, 1e-15);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("exp(0)"), 1);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("abs(-2.5)"), 2.5);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("max(1, 7, 3)"), 7);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("min(4, -1)"), -1);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("pow(2, 0.5) ^ 2"), 2.0000000000000004);
  EXPECT_DOUBLE_EQ(evaluate_arithmetic("round(2.5) + floor(-1.5) + ceil(1.2)"), 3 - 2 + 2);
}

TEST(Calculator, ErrorsNameTheColumn) {
  EXPECT_EQ(error_of("1 / 0"), "column 3: division by zero");
  EXPECT_EQ(error_of("1 / (2 - 2)"), "column 3: division by zero");
  EXPECT_EQ(error_of("2 +"), "column 4: expression ends where a number was expected");
  EXPECT_EQ(error_of("(1 + 2"), "column 1: '(' is never closed");
  EXPECT_EQ(error_of("1 + 2)"), "column 6: unmatched ')'");
  EXPECT_EQ(error_of("2 pi"), "column 3: unexpected 'p'");
  EXPECT_EQ(error_of("sqrt(-1)"), "column 1: sqrt needs a number >= 0");
  EXPECT_EQ(error_of("ln(0)"), "column 1: ln result overflows or is infinite");
  EXPECT_EQ(error_of("foo(1)").rfind("column 1: unknown function 'foo' (functions: abs, acos", 0), 0u);
  EXPECT_EQ(error_of("x + 1").rfind("column 1: unknown name 'x' (constants: pi, e;", 0), 0u);
  EXPECT_EQ(error_of("sqrt"), "column 1: function 'sqrt' needs arguments in parentheses");
  EXPECT_EQ(error_of("max(1)"), "column 1: max takes at least 2 argument(s), got 1");
  EXPECT_EQ(error_of("1e"), "column 2: incomplete exponent in number");
  EXPECT_EQ(error_of(""), "column 1: empty expression");
  EXPECT_EQ(error_of("(-8) ^ 0.5"), "column 6: negative base to a fractional power");
  EXPECT_EQ(error_of("0 ^ -1"), "column 3: zero to a negative power");
  EXPECT_EQ(error_of("1 + µ"), "column 5: unexpected non-ASCII character where a number was expected");
}

TEST(Calculator, NeverEvaluatesCode) {
  EXPECT_EQ(error_of("__import__('os').system('ls')").rfind("column 1: unknown function '__import__'", 0), 0u);
  EXPECT_EQ(error_of("1; 2"), "column 2: unexpected ';'");
  EXPECT_EQ(error_of("\"1\" + 1"), "column 1: unexpected '\"' where a number was expected");
}

TEST(Calculator, BoundsOnSizeDepthAndExponent) {
  EXPECT_EQ(error_of(std::string(1001, '1')), "expression too long (1001 characters; the limit is 1000)");
  std::string deep = std::string(200, '(') + "1" + std::string(200, ')');
  EXPECT_NE(error_of(deep).find("nested deeper than 64 levels"), std::string::npos) << error_of(deep);
  EXPECT_NE(error_of(std::string(500, '-') + "1").find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_EQ(error_of("2 ^ 5000"), "column 5: exponent 5000 is too large (the limit is 1024)");
  EXPECT_EQ(error_of("pow(2, 5000)"), "column 1: exponent 5000 is too large (the limit is 1024)");
  EXPECT_EQ(error_of("10 ^ 1000"), "column 4: result overflows (power)");
  EXPECT_EQ(error_of("1e308 * 10"), "column 7: result overflows (multiplication)");
  EXPECT_EQ(error_of("exp(1000)"), "column 1: exp result overflows or is infinite");
  EXPECT_EQ(error_of("1e999"), "column 1: number 1e999 is too large");
}
