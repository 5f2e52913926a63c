// Qwen2.5 ChatML rendering: a hand-checked prompt, Python json.dumps number/string formatting, and
// equality with transformers' apply_chat_template (Qwen2.5-Instruct's template as trl ships it) for
// conversations with system/user/assistant/tool turns, tool calls and tool schemas.
#include <gtest/gtest.h>

#include "model/chat_json.h"
#include "model/chat_template.h"
#include "tokenizer_test_support.h"

namespace retort::model {
namespace {

using ojson = nlohmann::ordered_json;

TEST(ChatTemplate, HandCheckedQwenPromptWithDefaultSystemPrompt) {
  std::vector<ChatMessage> messages{{"user", "What is the logP of CCO?", {}}};
  EXPECT_EQ(ChatTemplate().render(messages, {}, true),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nWhat is the logP of CCO?<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(ChatTemplate("You are a chemist.").render(messages, {}, false),
            "<|im_start|>system\nYou are a chemist.<|im_end|>\n<|im_start|>user\nWhat is the logP of CCO?<|im_end|>\n");
}

TEST(ChatTemplate, HandCheckedToolCallAndToolResponses) {
  std::vector<ChatMessage> messages{
      {"system", "Be brief.", {}},
      {"user", "Weigh CCO.", {}},
      {"assistant", "", {{"molecular_weight", ojson{{"smiles", "CCO"}}}}},
      {"tool", "46.07", {}},
      {"tool", "ok", {}},
  };
  std::vector<ojson> tools{ojson{{"type", "function"}, {"function", ojson{{"name", "molecular_weight"}}}}};
  EXPECT_EQ(ChatTemplate().render(messages, tools, false),
            "<|im_start|>system\nBe brief.\n\n# Tools\n\nYou may call one or more functions to assist with the user "
            "query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            "{\"type\": \"function\", \"function\": {\"name\": \"molecular_weight\"}}\n</tools>\n\nFor each function "
            "call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n"
            "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
            "<|im_start|>user\nWeigh CCO.<|im_end|>\n"
            "<|im_start|>assistant\n<tool_call>\n{\"name\": \"molecular_weight\", \"arguments\": {\"smiles\": \"CCO\"}}\n"
            "</tool_call><|im_end|>\n"
            "<|im_start|>user\n<tool_response>\n46.07\n</tool_response>\n<tool_response>\nok\n</tool_response><|im_end|>\n");
}

TEST(ChatTemplate, JinjaTextIsTrlsQwen2_5Template) {
  auto r = tokenizer_testing::run_command(tokenizer_testing::quote(RETORT_PYTHON) +
                                " -c 'import os, trl; print(os.path.dirname(trl.__file__), end=\"\")'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string shipped = tokenizer_testing::read_file(r.output + "/chat_templates/qwen2_5.jinja");
  ASSERT_GT(shipped.size(), 1000u) << r.output;
  EXPECT_EQ(std::string(ChatTemplate::qwen2_5_jinja()), shipped);
}

TEST(ChatTemplate, RejectsEmptyConversationAndUnknownRole) {
  EXPECT_THROW(ChatTemplate().render({}, {}, true), ChatTemplateError);
  std::vector<ChatMessage> messages{{"user", "hi", {}}, {"robot", "beep", {}}};
  try {
    ChatTemplate().render(messages);
    FAIL() << "expected ChatTemplateError";
  } catch (const ChatTemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("message 1 has unknown role 'robot'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(chat_message_from_json(ojson{{"content", "no role"}}), ChatTemplateError);
  EXPECT_THROW(chat_message_from_json(ojson{{"role", "user"}, {"content", 3}}), ChatTemplateError);
}

// Known answers from CPython 3.11: repr(float) and json.dumps(..., ensure_ascii=False).
TEST(ChatJson, PythonFloatReprAndDumps) {
  EXPECT_EQ(python_float_repr(1.0), "1.0");
  EXPECT_EQ(python_float_repr(-0.0), "-0.0");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(1e-05), "1e-05");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_repr(123.456), "123.456");
  EXPECT_EQ(python_float_repr(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(python_float_repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(python_json_dumps(ojson::parse(R"({"b": [1, 2.0, null, true], "a": "\u00b0C \"q\" \\ \t\u0001"})")),
            "{\"b\": [1, 2.0, null, true], \"a\": \"°C \\\"q\\\" \\\\ \\t\\u0001\"}");
  EXPECT_EQ(python_json_dumps(ojson::object()), "{}");
  EXPECT_EQ(python_json_dumps(ojson::array()), "[]");
}

ojson weight_tool() {
  return ojson::parse(R"({"type": "function", "function": {"name": "molecular_weight",
    "description": "Average molecular weight (g/mol) of a molecule given as SMILES, e.g. CC(=O)O.",
    "parameters": {"type": "object", "properties": {"smiles": {"type": "string", "description": "SMILES, e.g. C[C@@H](N)C(=O)O"},
    "precision": {"type": "integer", "minimum": 0, "maximum": 6, "default": 2}, "scale": {"type": "number", "default": 1.0,
    "exclusiveMinimum": 1e-05}}, "required": ["smiles"]}}})");
}

ojson dose_tool() {
  return ojson::parse(R"({"type": "function", "function": {"name": "dose_calculator",
    "description": "Dose in mg for a weight in kg — pédiatrie, β-lactam, 10⁻³ M, 中文 \"quoted\" \\ back\tslash",
    "parameters": {"type": "object", "properties": {"mg_per_kg": {"type": "number"}, "weight_kg": {"type": "number"},
    "flags": {"type": "array", "items": {"type": "boolean"}}}, "required": ["mg_per_kg", "weight_kg"]}}})");
}

TEST(ChatTemplate, EqualsTransformersApplyChatTemplate) {
  ojson cases = ojson::array();
  auto add = [&](ojson messages, ojson tools, bool generation) {
    cases.push_back(ojson{{"messages", std::move(messages)}, {"tools", std::move(tools)}, {"add_generation_prompt", generation}});
  };
  const ojson user_q = {{"role", "user"}, {"content", "What is the molecular weight of aspirin, CC(=O)Oc1ccccc1C(=O)O?"}};
  const ojson system = {{"role", "system"}, {"content", "You are a careful chemist.\nAnswer inside <answer></answer>."}};
  const ojson call = ojson::parse(R"({"role": "assistant", "content": "", "tool_calls": [{"type": "function",
      "function": {"name": "molecular_weight", "arguments": {"smiles": "CC(=O)Oc1ccccc1C(=O)O", "precision": 3, "scale": 0.5}}}]})");
  const ojson call_with_text = ojson::parse(R"({"role": "assistant", "content": "<think>I need two numbers.</think>",
      "tool_calls": [{"type": "function", "function": {"name": "molecular_weight", "arguments": {"smiles": "CCO"}}},
                     {"name": "dose_calculator", "arguments": {"mg_per_kg": 12.5, "weight_kg": 70, "flags": [true, false], "note": null}}]})");
  const ojson string_arguments = ojson::parse(R"({"role": "assistant", "content": null, "tool_calls": [{"type": "function",
      "function": {"name": "molecular_weight", "arguments": "{\"smiles\": \"O\"}"}}]})");
  const ojson tool_result = {{"role", "tool"}, {"content", "{\"molecular_weight\": 180.159}"}};
  const ojson tool_result2 = {{"role", "tool"}, {"content", "error: SMILES 'C1CC' does not parse: unclosed ring"}};
  const ojson answer = {{"role", "assistant"}, {"content", "<think>Sum of atomic weights.</think><answer>180.16</answer>"}};
  const ojson tools = ojson::array({weight_tool(), dose_tool()});

  add(ojson::array({user_q}), nullptr, true);
  add(ojson::array({user_q}), nullptr, false);
  add(ojson::array({system, user_q}), nullptr, true);
  add(ojson::array({system, user_q, answer}), nullptr, false);
  add(ojson::array({user_q}), tools, true);
  add(ojson::array({system, user_q}), tools, true);
  add(ojson::array({system, user_q, call, tool_result, answer}), tools, false);
  add(ojson::array({user_q, call_with_text, tool_result, tool_result2, answer, user_q}), tools, true);
  add(ojson::array({user_q, string_arguments, tool_result}), ojson::array({weight_tool()}), true);
  add(ojson::array({user_q, answer, system, user_q}), nullptr, true);  // a later system turn is an ordinary turn
  add(ojson::array({tool_result, user_q}), nullptr, false);           // a conversation may start with a tool turn
  add(ojson::array({ojson{{"role", "user"}, {"content", ""}}}), ojson::array(), true);  // empty tools: no tools block
  add(ojson::array({ojson{{"role", "user"}, {"content", "Émile’s β-blocker dose? 中文 😀\n\n  trailing  "}}}), nullptr, true);

  tokenizer_testing::TempDir dir("retort_chat_template");
  tokenizer_testing::write_file(dir / "cases.json", cases.dump());
  auto r = tokenizer_testing::run_python_script("tokenizer_chat_reference.py",
                                      tokenizer_testing::quote(dir / "cases.json") + " " + tokenizer_testing::quote(dir / "out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto expected = nlohmann::json::parse(tokenizer_testing::read_file(dir / "out.json"));
  ASSERT_EQ(expected.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::vector<ChatMessage> messages;
    for (const auto& m : cases[i]["messages"]) messages.push_back(chat_message_from_json(m));
    std::vector<ojson> tool_list;
    if (cases[i]["tools"].is_array())
      for (const auto& t : cases[i]["tools"]) tool_list.push_back(t);
    EXPECT_EQ(ChatTemplate().render(messages, tool_list, cases[i]["add_generation_prompt"].get<bool>()),
              expected[i].get<std::string>())
        << "case " << i;
  }
}

}  // namespace
}  // namespace retort::model
