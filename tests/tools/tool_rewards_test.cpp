// Checklist rewards, error costs, metrics and the tool turn (parse -> call -> render -> record).
#include <gtest/gtest.h>

#include "tools/general_tools.h"
#include "tools/tool_rewards.h"
#include "tools/tool_turn.h"

using namespace retort;
using namespace retort::tools;
using nlohmann::json;

namespace {

ToolCallRecord record(const std::string& name, json args, bool ok) {
  ToolCallRecord r;
  r.name = name;
  r.arguments = std::move(args);
  r.ok = ok;
  r.seconds = 0.5;
  return r;
}

}  // namespace

TEST(ToolRewards, ChecklistFractionAndErrorCost) {
  auto items = checklist_from_json(json::parse(R"([
      {"tool": "molecular_weight"},
      {"tool": "similarity", "arguments": {"smiles_b": "OCC"}, "weight": 2},
      {"tool": "calculator", "forbidden": true}])"),
                                   "test");
  std::vector<ToolCallRecord> calls = {record("molecular_weight", {{"smiles", "CCO"}}, true),
                                       record("similarity", {{"smiles_a", "c1ccccc1"}, {"smiles_b", "CCO"}}, true),
                                       record("unit_convert", {{"value", 1}}, false)};
  Score s = score_tool_use(items, calls, {.error_cost = 0.1});
  // All three met (OCC and CCO are the same molecule; calculator never called): 4/4; one error: -0.1.
  EXPECT_DOUBLE_EQ(s.components["tool_checklist"], 1.0);
  EXPECT_DOUBLE_EQ(s.components["tool_error_cost"], -0.1);
  EXPECT_DOUBLE_EQ(s.total, 0.9);
  EXPECT_TRUE(s.correct);

  calls[1].arguments["smiles_b"] = "CCN";  // wrong argument value: weight 2 of 4 missed
  calls.push_back(record("calculator", {{"expression", "1+1"}}, true));  // forbidden call: weight 1 missed
  s = score_tool_use(items, calls, {.error_cost = 0.1});
  EXPECT_DOUBLE_EQ(s.components["tool_checklist"], 0.25);
  EXPECT_FALSE(s.correct);
  EXPECT_EQ(s.reasons["tool_checklist"], "missed: no similarity call with {\"smiles_b\":\"OCC\"}; called forbidden calculator");
}

TEST(ToolRewards, FailedCallDoesNotMeetAnItemAndErrorCostIsCapped) {
  std::vector<ChecklistItem> items = {{.tool = "molecular_weight"}};
  std::vector<ToolCallRecord> calls(10, record("molecular_weight", {{"smiles", "C1CC"}}, false));
  Score s = score_tool_use(items, calls, {.error_cost = 0.1, .max_error_cost = 0.5});
  EXPECT_DOUBLE_EQ(s.components["tool_checklist"], 0.0);
  EXPECT_DOUBLE_EQ(s.components["tool_error_cost"], -0.5);
  EXPECT_DOUBLE_EQ(s.total, -0.5);
}

TEST(ToolRewards, NumbersMatchWithinTolerance) {
  ChecklistItem item{.tool = "unit_convert", .arguments = {{"value", 500.0}, {"to", "eV"}}};
  EXPECT_TRUE(call_meets_item(item, record("unit_convert", {{"value", 500}, {"from", "nm"}, {"to", "eV"}}, true)));
  EXPECT_FALSE(call_meets_item(item, record("unit_convert", {{"value", 501}, {"from", "nm"}, {"to", "eV"}}, true)));
}

TEST(ToolRewards, VerifierRegistryAndExampleChecklist) {
  VerifierRegistry registry;
  register_verifiers(registry);
  ASSERT_TRUE(registry.contains("tools.checklist"));
  auto verifier = registry.create("tools.checklist", {{"error_cost", 0.2}, {"checklist", {{{"tool", "calculator"}}}}});
  Example example;
  example.id = "t1";
  Episode episode;
  episode.tool_calls = {record("calculator", {{"expression", "2"}}, true), record("x", json::object(), false)};
  Score s = verifier->verify(example, episode);
  EXPECT_DOUBLE_EQ(s.total, 1.0 - 0.2);
  // The task's own checklist wins over the options'.
  example.meta["tool_checklist"] = json::parse(R"([{"tool": "lipinski"}])");
  EXPECT_DOUBLE_EQ(verifier->verify(example, episode).components["tool_checklist"], 0.0);
  example.meta["tool_checklist"] = json::parse(R"([{"tool": 3}])");
  try {
    verifier->verify(example, episode);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "t1: meta.tool_checklist[0]: \"tool\" must be a non-empty string");
  }
  EXPECT_THROW(registry.create("tools.checklist", {{"eror_cost", 1}}), std::invalid_argument);
}

TEST(ToolRewards, Metrics) {
  std::vector<Episode> episodes(4);
  episodes[0].tool_calls = {record("calculator", {}, true), record("calculator", {}, false)};
  episodes[1].tool_calls = {record("", {}, false)};
  episodes[2].tool_calls = {record("lipinski", {}, true)};
  auto m = tool_use_metrics(episodes);
  EXPECT_DOUBLE_EQ(m["tools/calls_per_episode"], 1.0);  // 4 calls / 4 episodes
  EXPECT_DOUBLE_EQ(m["tools/error_rate"], 0.5);         // 2 of 4
  EXPECT_DOUBLE_EQ(m["tools/episodes_with_calls"], 0.75);
  EXPECT_DOUBLE_EQ(m["tools/calculator/calls"], 2);
  EXPECT_DOUBLE_EQ(m["tools/calculator/errors"], 1);
  EXPECT_DOUBLE_EQ(m["tools/invalid_call/calls"], 1);
  EXPECT_DOUBLE_EQ(m["tools/mean_call_seconds"], 0.5);
  EXPECT_DOUBLE_EQ(tool_use_metrics({})["tools/error_rate"], 0.0);
}

TEST(ToolTurn, ParseCallRenderRecord) {
  ToolRegistry registry;
  registry.add(make_calculator_tool());
  ToolCallParser parser;
  auto r = answer_tool_call(registry, parser,
                            "I will compute.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"6*7\"}}\n</tool_call>");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.name, "calculator");
  EXPECT_EQ(r.arguments["expression"], "6*7");
  EXPECT_EQ(r.response, "<tool_response>\n{\"ok\": true, \"result\": {\"value\": 42.0}}\n</tool_response>");

  r = answer_tool_call(registry, parser, "<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": 5}}</tool_call>");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.response,
            "<tool_response>\n{\"ok\": false, \"error\": \"calculator: argument 'expression': expected string, got number\"}\n</tool_response>");

  r = answer_tool_call(registry, parser, "<tool_call>{\"name\": calculator}</tool_call>");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.name, "");
  // Tag-like text in the body is written \u003c... (see tool_response.h), our own messages included.
  EXPECT_NE(r.response.find("malformed JSON in \\u003ctool_call>"), std::string::npos) << r.response;

  r = answer_tool_call(registry, parser, "no call here");
  EXPECT_EQ(r.response, "<tool_response>\n{\"ok\": false, \"error\": \"no \\u003ctool_call> block found\"}\n</tool_response>");
}
