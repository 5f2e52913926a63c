// Recursive-descent arithmetic evaluator for the calculator tool (see calculator.h).
#include "tools/calculator.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <numbers>
#include <vector>

namespace retort::tools {
namespace {

struct Function {
  int min_args, max_args;  // max_args < 0: unbounded
  std::function<double(const std::vector<double>&)> apply;
  const char* domain;      // for NaN results: what the argument must be
};

const std::map<std::string, Function>& functions() {
  using V = std::vector<double>;
  static const std::map<std::string, Function> table = {
      {"sqrt", {1, 1, [](const V& a) { return std::sqrt(a[0]); }, "a number >= 0"}},
      {"cbrt", {1, 1, [](const V& a) { return std::cbrt(a[0]); }, "a number"}},
      {"exp", {1, 1, [](const V& a) { return std::exp(a[0]); }, "a number"}},
      {"ln", {1, 1, [](const V& a) { return std::log(a[0]); }, "a number > 0"}},
      {"log", {1, 1, [](const V& a) { return std::log10(a[0]); }, "a number > 0"}},
      {"log10", {1, 1, [](const V& a) { return std::log10(a[0]); }, "a number > 0"}},
      {"log2", {1, 1, [](const V& a) { return std::log2(a[0]); }, "a number > 0"}},
      {"sin", {1, 1, [](const V& a) { return std::sin(a[0]); }, "a finite number"}},
      {"cos", {1, 1, [](const V& a) { return std::cos(a[0]); }, "a finite number"}},
      {"tan", {1, 1, [](const V& a) { return std::tan(a[0]); }, "a finite number"}},
      {"asin", {1, 1, [](const V& a) { return std::asin(a[0]); }, "a number in [-1, 1]"}},
      {"acos", {1, 1, [](const V& a) { return std::acos(a[0]); }, "a number in [-1, 1]"}},
      {"atan", {1, 1, [](const V& a) { return std::atan(a[0]); }, "a number"}},
      {"sinh", {1, 1, [](const V& a) { return std::sinh(a[0]); }, "a number"}},
      {"cosh", {1, 1, [](const V& a) { return std::cosh(a[0]); }, "a number"}},
      {"tanh", {1, 1, [](const V& a) { return std::tanh(a[0]); }, "a number"}},
      {"abs", {1, 1, [](const V& a) { return std::fabs(a[0]); }, "a number"}},
      {"floor", {1, 1, [](const V& a) { return std::floor(a[0]); }, "a number"}},
      {"ceil", {1, 1, [](const V& a) { return std::ceil(a[0]); }, "a number"}},
      {"round", {1, 1, [](const V& a) { return std::round(a[0]); }, "a number"}},
      {"min", {2, -1, [](const V& a) { double m = a[0]; for (double x : a) m = std::min(m, x); return m; }, "numbers"}},
      {"max", {2, -1, [](const V& a) { double m = a[0]; for (double x : a) m = std::max(m, x); return m; }, "numbers"}},
      {"pow", {2, 2, [](const V& a) { return std::pow(a[0], a[1]); }, "a base and an exponent"}},
  };
  return table;
}

const std::map<std::string, double>& constants() {
  static const std::map<std::string, double> table = {{"pi", std::numbers::pi}, {"e", std::numbers::e}};
  return table;
}

class Parser {
 public:
  Parser(std::string_view text, const CalculatorLimits& limits) : s_(text), limits_(limits) {}

  double parse_all() {
    skip_space();
    if (pos_ >= s_.size()) fail(pos_, "empty expression");
    double v = expression();
    skip_space();
    if (pos_ < s_.size()) {
      if (s_[pos_] == ')') fail(pos_, "unmatched ')'");
      fail(pos_, "unexpected " + describe(s_[pos_]));
    }
    return v;
  }

 private:
  [[noreturn]] void fail(size_t at, const std::string& message) const {
    throw CalculatorError("column " + std::to_string(at + 1) + ": " + message);
  }

  double checked(double v, size_t at, const char* what) const {
    if (std::isnan(v)) fail(at, std::string("undefined result (") + what + ")");
    if (std::isinf(v)) fail(at, std::string("result overflows (") + what + ")");
    return v;
  }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  bool take(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& parser, size_t at) : p(parser) {
      if (++p.depth_ > p.limits_.max_depth)
        p.fail(at, "nested deeper than " + std::to_string(p.limits_.max_depth) + " levels");
    }
    ~DepthGuard() { --p.depth_; }
  };

  double expression() {
    DepthGuard guard(*this, pos_);
    double v = term();
    for (;;) {
      skip_space();
      size_t at = pos_;
      if (take('+'))
        v = checked(v + term(), at, "addition");
      else if (take('-'))
        v = checked(v - term(), at, "subtraction");
      else
        return v;
    }
  }

  double term() {
    double v = unary();
    for (;;) {
      skip_space();
      size_t at = pos_;
      if (pos_ + 1 < s_.size() && s_[pos_] == '*' && s_[pos_ + 1] == '*') return v;  // power, handled below
      if (take('*')) {
        v = checked(v * unary(), at, "multiplication");
      } else if (take('/')) {
        double d = unary();
        if (d == 0) fail(at, "division by zero");
        v = checked(v / d, at, "division");
      } else {
        return v;
      }
    }
  }

  double unary() {
    DepthGuard guard(*this, pos_);
    if (take('-')) return -unary();
    if (take('+')) return unary();
    return power();
  }

  double power() {
    double base = primary();
    skip_space();
    size_t at = pos_;
    bool is_power = false;
    if (pos_ + 1 < s_.size() && s_[pos_] == '*' && s_[pos_ + 1] == '*') {
      pos_ += 2;
      is_power = true;
    } else if (take('^')) {
      is_power = true;
    }
    if (!is_power) return base;
    skip_space();
    size_t exponent_at = pos_;
    double exponent = unary();
    if (std::fabs(exponent) > limits_.max_abs_exponent)
      fail(exponent_at, "exponent " + format(exponent) + " is too large (the limit is " +
                            format(limits_.max_abs_exponent) + ")");
    if (base == 0 && exponent < 0) fail(at, "zero to a negative power");
    if (base < 0 && std::floor(exponent) != exponent) fail(at, "negative base to a fractional power");
    return checked(std::pow(base, exponent), at, "power");
  }

  static std::string format(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }

  double number() {
    size_t start = pos_;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    if (pos_ == start + 1 && s_[start] == '.') fail(start, "a lone '.' is not a number");
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t e = pos_ + 1;
      if (e < s_.size() && (s_[e] == '+' || s_[e] == '-')) ++e;
      if (e < s_.size() && std::isdigit(static_cast<unsigned char>(s_[e]))) {
        pos_ = e;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      } else {
        fail(pos_, "incomplete exponent in number");
      }
    }
    std::string text(s_.substr(start, pos_ - start));
    double v = std::strtod(text.c_str(), nullptr);
    if (std::isinf(v)) fail(start, "number " + text + " is too large");
    return v;
  }

  double primary() {
    DepthGuard guard(*this, pos_);
    skip_space();
    if (pos_ >= s_.size()) fail(pos_, "expression ends where a number was expected");
    char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (c == '(') {
      size_t open = pos_++;
      double v = expression();
      if (!take(')')) fail(open, "'(' is never closed");
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      skip_space();
      bool call = pos_ < s_.size() && s_[pos_] == '(';
      if (!call) {
        auto k = constants().find(name);
        if (k != constants().end()) return k->second;
        if (functions().count(name)) fail(start, "function '" + name + "' needs arguments in parentheses");
        fail(start, "unknown name '" + name + "' (constants: pi, e; functions: " + function_names() + ")");
      }
      auto f = functions().find(name);
      if (f == functions().end())
        fail(start, "unknown function '" + name + "' (functions: " + function_names() + ")");
      ++pos_;  // '('
      std::vector<double> args;
      if (!take(')')) {
        do {
          args.push_back(expression());
        } while (take(','));
        if (!take(')')) fail(pos_, "expected ',' or ')' in the arguments of " + name);
      }
      const Function& fn = f->second;
      int n = static_cast<int>(args.size());
      if (n < fn.min_args || (fn.max_args >= 0 && n > fn.max_args)) {
        std::string expected = fn.max_args < 0             ? "at least " + std::to_string(fn.min_args)
                               : fn.min_args == fn.max_args ? std::to_string(fn.min_args)
                                                            : std::to_string(fn.min_args) + "-" + std::to_string(fn.max_args);
        fail(start, name + " takes " + expected + " argument(s), got " + std::to_string(n));
      }
      if (name == "pow" && std::fabs(args[1]) > limits_.max_abs_exponent)
        fail(start, "exponent " + format(args[1]) + " is too large (the limit is " + format(limits_.max_abs_exponent) + ")");
      double v = fn.apply(args);
      if (std::isnan(v)) fail(start, name + " needs " + fn.domain);
      if (std::isinf(v)) fail(start, name + " result overflows or is infinite");
      return v;
    }
    if (c == ')') fail(pos_, "unexpected ')' where a number was expected");
    fail(pos_, "unexpected " + describe(c) + " where a number was expected");
  }

  static std::string describe(char c) {
    if (static_cast<unsigned char>(c) >= 0x80) return "non-ASCII character";
    if (static_cast<unsigned char>(c) < 0x20) return "control character";
    return "'" + std::string(1, c) + "'";
  }

  static std::string function_names() {
    std::string out;
    for (const auto& [n, f] : functions()) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  std::string_view s_;
  const CalculatorLimits& limits_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

double evaluate_arithmetic(std::string_view expression, const CalculatorLimits& limits) {
  if (expression.size() > limits.max_length)
    throw CalculatorError("expression too long (" + std::to_string(expression.size()) + " characters; the limit is " +
                          std::to_string(limits.max_length) + ")");
  return Parser(expression, limits).parse_all();
}

}  // namespace retort::tools
