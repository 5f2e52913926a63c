// Fuzz target: the calculator tool's arithmetic (tools/calculator.h) and the tool around it.
// Invariants: evaluate_arithmetic returns a finite number or throws CalculatorError naming a column,
// never another exception; the same expression through the calculator tool (schema validation,
// ToolResult) gives the same value or an error text; the tool never throws.
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.h"
#include "tools/calculator.h"
#include "tools/general_tools.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace retort::tools;
  std::string expression(reinterpret_cast<const char*>(data), size);
  std::optional<double> value;
  try {
    value = evaluate_arithmetic(expression);
    FUZZ_CHECK(std::isfinite(*value));
  } catch (const CalculatorError& e) {
    FUZZ_CHECK(std::strncmp(e.what(), "column ", 7) == 0 || std::strstr(e.what(), "expression") != nullptr);
  }
  // The tool validates arguments as JSON strings: only valid UTF-8 can reach it from a parsed tool call.
  if (!retort::fuzz::valid_utf8(expression)) return 0;
  static const auto tool = make_calculator_tool();
  ToolResult r = tool->call(nlohmann::json{{"expression", expression}}, Deadline::never());
  if (r.ok) {
    FUZZ_CHECK(value.has_value());
    const double got = r.result.at("value").get<double>();
    FUZZ_CHECK(got == *value);
  } else {
    FUZZ_CHECK(!r.error.empty());
    FUZZ_CHECK(!value.has_value() || expression.empty() || expression.size() > 1000);
  }
  return 0;
}
