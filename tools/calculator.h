// The calculator tool's arithmetic: a recursive-descent parser and evaluator of the project's own.
// Grammar (whitespace ignored):
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | power
//   power      := primary (('^' | '**') unary)?          right-associative; -2^2 = -4, 2^-1 = 0.5
//   primary    := number | constant | function '(' expression (',' expression)* ')' | '(' expression ')'
//   number     := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (also ".5")
// Constants: pi, e. Functions: sqrt, cbrt, exp, ln (natural), log (base 10), log10, log2, sin, cos, tan,
// asin, acos, atan, sinh, cosh, tanh, abs, floor, ceil, round, min, max (2+ arguments), pow (2 arguments).
// Angles in radians. It evaluates arithmetic only, never code. Bounds: 1000 characters, nesting depth 64,
// |exponent| <= 1024; results must be finite. Errors name the column (1-based).
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace retort::tools {

// "column 5: division by zero", "column 3: unknown name 'foo' (functions: ...)".
struct CalculatorError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CalculatorLimits {
  size_t max_length = 1000;
  int max_depth = 64;
  double max_abs_exponent = 1024;
};

double evaluate_arithmetic(std::string_view expression, const CalculatorLimits& limits = {});

}  // namespace retort::tools
