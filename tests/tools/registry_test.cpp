// ToolRegistry and Tool::call: argument validation messages, unknown tools, exceptions and deadlines all
// come back as error results; schemas are in the Qwen/Hermes tools format.
#include <gtest/gtest.h>

#include <thread>

#include "tools/function_tool.h"
#include "tools/general_tools.h"
#include "tools/registry.h"

using namespace retort::tools;
using nlohmann::json;
using nlohmann::ordered_json;
using namespace std::chrono_literals;

namespace {

ordered_json smiles_schema() {
  return {{"type", "object"},
          {"properties", {{"smiles", {{"type", "string"}, {"maxLength", 10}}},
                          {"radius", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4}}},
                          {"method", {{"type", "string"}, {"enum", {"mmff94", "etkdg"}}}}}},
          {"required", {"smiles"}},
          {"additionalProperties", false}};
}

ToolRegistry test_registry() {
  ToolRegistry registry;
  registry.add(make_function_tool("echo", "Echo the arguments.", smiles_schema(),
                                  [](const json& args, const Deadline&) { return args; }));
  registry.add(make_function_tool("sleepy", "Sleeps 2 s.", {{"type", "object"}},
                                  [](const json&, const Deadline&) -> json {
                                    std::this_thread::sleep_for(2s);
                                    return {{"done", true}};
                                  }));
  registry.add(make_function_tool("thrower", "Throws.", {{"type", "object"}}, [](const json& args, const Deadline&) -> json {
    if (args.contains("tool_error")) throw ToolError("SMILES 'C1CC' does not parse: unclosed ring");
    if (args.contains("int")) throw 42;
    throw std::out_of_range("vector::at");
  }));
  registry.add(make_calculator_tool());
  return registry;
}

}  // namespace

TEST(ToolRegistry, SchemasUseTheQwenHermesFunctionFormat) {
  auto schemas = test_registry().schemas();
  ASSERT_EQ(schemas.size(), 4u);
  const auto& calc = schemas[0];  // sorted by name
  EXPECT_EQ(calc.dump().rfind(R"({"type":"function","function":{"name":"calculator","description":"Evaluate)", 0), 0u)
      << calc.dump();
  EXPECT_EQ(calc["function"]["parameters"]["required"], ordered_json({"expression"}));
}

TEST(ToolRegistry, ValidArgumentsRun) {
  auto r = test_registry().call("echo", {{"smiles", "CCO"}, {"radius", 2}}, Deadline::after(5s));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["smiles"], "CCO");
  EXPECT_EQ(r.to_json().dump(), R"({"ok":true,"result":{"radius":2,"smiles":"CCO"}})");
}

TEST(ToolRegistry, ArgumentErrorsAreReadable) {
  auto registry = test_registry();
  auto error_of = [&](const json& args) { return registry.call("echo", args, Deadline::after(5s)).error; };
  EXPECT_EQ(error_of({{"smiles", 5}}), "echo: argument 'smiles': expected string, got number");
  EXPECT_EQ(error_of(json::object()), "echo: missing required argument 'smiles'");
  EXPECT_EQ(error_of({{"smiles", "CCO"}, {"radius", 2.5}}), "echo: argument 'radius': expected integer, got number");
  EXPECT_EQ(error_of({{"smiles", "CCO"}, {"radius", 9}}), "echo: argument 'radius': must be <= 4, got 9");
  EXPECT_EQ(error_of({{"smiles", "CCO"}, {"radius", 0}}), "echo: argument 'radius': must be >= 1, got 0");
  EXPECT_EQ(error_of({{"smiles", "CCO"}, {"method", "uff"}}),
            "echo: argument 'method': \"uff\" is not one of \"mmff94\", \"etkdg\"");
  EXPECT_EQ(error_of({{"smiles", "CCCCCCCCCCC"}}), "echo: argument 'smiles': must have at most 10 characters, got 11");
  EXPECT_EQ(error_of({{"smiles", "CCO"}, {"smile", "x"}}), "echo: unknown argument 'smile' (expected: method, radius, smiles)");
  EXPECT_EQ(error_of(json::array()), "echo: arguments must be a JSON object, got array");
  // 2.0 is an integer in JSON Schema; maxLength counts characters, not bytes.
  EXPECT_TRUE(registry.call("echo", {{"smiles", "ééééééééé"}, {"radius", 2.0}}, Deadline::after(5s)).ok);
}

TEST(ToolRegistry, UnknownToolListsTheAvailableOnes) {
  auto r = test_registry().call("molecular_wieght", {{"smiles", "CCO"}}, Deadline::after(5s));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "unknown tool 'molecular_wieght' (available: calculator, echo, sleepy, thrower)");
}

TEST(ToolRegistry, ExceptionsBecomeErrors) {
  auto registry = test_registry();
  EXPECT_EQ(registry.call("thrower", {{"tool_error", 1}}, Deadline::after(5s)).error,
            "thrower: SMILES 'C1CC' does not parse: unclosed ring");
  EXPECT_EQ(registry.call("thrower", json::object(), Deadline::after(5s)).error, "thrower failed: vector::at");
  EXPECT_EQ(registry.call("thrower", {{"int", 1}}, Deadline::after(5s)).error, "thrower failed with an unknown error");
  EXPECT_EQ(registry.call("thrower", json::object(), Deadline::never()).error, "thrower failed: vector::at");
}

TEST(ToolRegistry, DeadlineOverrunReturnsATimeoutAtTheDeadline) {
  auto registry = test_registry();
  auto start = std::chrono::steady_clock::now();
  auto r = registry.call("sleepy", json::object(), Deadline::after(100ms));
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.error.rfind("sleepy: timed out after 1", 0), 0u) << r.error;
  EXPECT_GE(waited, 0.1);
  EXPECT_LT(waited, 1.0);  // did not wait for the 2 s sleep
  EXPECT_GE(abandoned_calls_running(), 1);
  // The registry keeps answering while the abandoned call finishes in the background.
  auto ok = registry.call("calculator", {{"expression", "1+1"}}, Deadline::after(5s));
  ASSERT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.result["value"], 2.0);
  // An already-passed deadline never starts the tool.
  auto late = registry.call("calculator", {{"expression", "1+1"}}, Deadline::after(-1ms));
  EXPECT_TRUE(late.timed_out);
  EXPECT_EQ(late.error, "calculator: timed out before it started (deadline already passed)");
  std::this_thread::sleep_for(2200ms);
  EXPECT_EQ(abandoned_calls_running(), 0);
}

TEST(ToolRegistry, ParallelCallsFromManyThreads) {
  auto registry = test_registry();
  std::vector<std::thread> threads;
  std::vector<double> values(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = registry.call("calculator", {{"expression", std::to_string(i) + " * 2"}}, Deadline::after(5s));
      values[i] = r.ok ? r.result["value"].get<double>() : -1;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 16; ++i) EXPECT_EQ(values[i], 2.0 * i);
}

TEST(ToolRegistry, RejectsBadNamesAndDuplicates) {
  ToolRegistry registry;
  registry.add(make_calculator_tool());
  EXPECT_THROW(registry.add(make_calculator_tool()), std::invalid_argument);
  EXPECT_THROW(registry.add(make_function_tool("Bad Name", "", {{"type", "object"}},
                                               [](const json&, const Deadline&) { return json(); })),
               std::invalid_argument);
}

TEST(ToolRegistry, SelectKeepsOnlyTheNamedTools) {
  auto registry = test_registry();
  auto subset = registry.select({"echo", "calculator"});
  EXPECT_EQ(subset.names(), (std::vector<std::string>{"calculator", "echo"}));
  EXPECT_EQ(subset.schema_list().size(), 2u);
  EXPECT_EQ(subset.call("sleepy", json::object(), Deadline::after(1s)).error,
            "unknown tool 'sleepy' (available: calculator, echo)");
  try {
    registry.select({"nope"});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown tool 'nope' (available: calculator, echo, sleepy, thrower)");
  }
}
