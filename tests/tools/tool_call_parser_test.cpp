// ToolCallParser over well-formed, malformed and adversarial model text.
#include <gtest/gtest.h>

#include "tools/tool_call_parser.h"

using retort::tools::ParsedToolCall;
using retort::tools::ToolCallParser;
using retort::tools::ToolCallParserLimits;
using nlohmann::json;

namespace {

std::vector<ParsedToolCall> parse(const std::string& text, ToolCallParserLimits limits = {}) {
  return ToolCallParser(limits).parse(text);
}

}  // namespace

TEST(ToolCallParser, OneCallWithTextAroundAndNewlines) {
  std::string text = "Let me compute it.\n<tool_call>\n{\"name\": \"molecular_weight\", \"arguments\": {\"smiles\": \"CCO\"}}\n</tool_call> done";
  auto calls = parse(text);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0].ok()) << calls[0].error;
  EXPECT_EQ(calls[0].call->name, "molecular_weight");
  EXPECT_EQ(calls[0].call->arguments, json({{"smiles", "CCO"}}));
  EXPECT_EQ(calls[0].begin, text.find("<tool_call>"));
  EXPECT_EQ(calls[0].end, text.find("</tool_call>") + 12);
}

TEST(ToolCallParser, NoCallsInPlainText) {
  EXPECT_TRUE(parse("The answer is <answer>46.07</answer>.").empty());
  EXPECT_TRUE(parse("").empty());
}

TEST(ToolCallParser, MultipleCallsInOrder) {
  auto calls = parse(
      "<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call> and "
      "<tool_call>{\"name\": \"b\", \"arguments\": {\"x\": 1}}</tool_call>");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].call->name, "a");
  EXPECT_EQ(calls[1].call->name, "b");
  EXPECT_EQ(calls[1].call->arguments["x"], 1);
}

TEST(ToolCallParser, ArgumentsAsJsonEncodedStringAreAccepted) {
  auto calls = parse(R"(<tool_call>{"name": "similarity", "arguments": "{\"smiles_a\": \"CCO\", \"smiles_b\": \"CCN\"}"}</tool_call>)");
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0].ok()) << calls[0].error;
  EXPECT_EQ(calls[0].call->arguments["smiles_b"], "CCN");
}

TEST(ToolCallParser, ArgumentsStringThatIsNotAnObjectIsAnError) {
  auto calls = parse(R"(<tool_call>{"name": "x", "arguments": "[1, 2]"}</tool_call>)");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].ok());
  EXPECT_EQ(calls[0].error, "tool call \"arguments\" string must encode a JSON object, got array");
  calls = parse(R"(<tool_call>{"name": "x", "arguments": "smiles=CCO"}</tool_call>)");
  EXPECT_NE(calls[0].error.find("malformed JSON in the \"arguments\" string"), std::string::npos) << calls[0].error;
}

TEST(ToolCallParser, MalformedJsonNamesThePlace) {
  auto calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": {\"smiles\": \"CCO\"}</tool_call>");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].ok());
  EXPECT_EQ(calls[0].error.rfind("malformed JSON in <tool_call>: parse error at line 1, column", 0), 0u) << calls[0].error;
  EXPECT_EQ(calls[0].error.find("json.exception"), std::string::npos);
}

TEST(ToolCallParser, NonObjectJson) {
  for (const char* body : {"[1, 2]", "\"molecular_weight\"", "42", "null"}) {
    auto calls = parse(std::string("<tool_call>") + body + "</tool_call>");
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_FALSE(calls[0].ok());
    EXPECT_EQ(calls[0].error.rfind("a tool call must be a JSON object", 0), 0u) << calls[0].error;
  }
}

TEST(ToolCallParser, WrongTypesAndMissingKeys) {
  auto error_of = [](const std::string& body) { return parse("<tool_call>" + body + "</tool_call>").at(0).error; };
  EXPECT_EQ(error_of(R"({"name": 5, "arguments": {}})"), "tool call \"name\" must be a string, got number");
  EXPECT_EQ(error_of(R"({"name": "", "arguments": {}})"), "tool call \"name\" is empty");
  EXPECT_EQ(error_of(R"({"name": "x", "arguments": [1]})"), "tool call \"arguments\" must be an object, got array");
  EXPECT_EQ(error_of(R"({"arguments": {}})").rfind("tool call has no \"name\"", 0), 0u);
  EXPECT_EQ(error_of(R"({"name": "x"})").rfind("tool call has no \"arguments\" object", 0), 0u);
  EXPECT_EQ(error_of(R"({"name": "x", "parameters": {}})").rfind("unexpected key 'parameters' in tool call (use \"arguments\")", 0), 0u);
  EXPECT_EQ(error_of("   \n ").rfind("empty <tool_call>", 0), 0u);
}

TEST(ToolCallParser, UnclosedTag) {
  auto calls = parse("ok <tool_call>{\"name\": \"x\", \"arguments\": {}}");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].error, "unclosed <tool_call>: no </tool_call> follows it");
  EXPECT_EQ(calls[0].begin, 3u);
}

TEST(ToolCallParser, StrayClosingTag) {
  auto calls = parse("text </tool_call> <tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call>");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].error, "</tool_call> without an opening <tool_call>");
  EXPECT_TRUE(calls[1].ok());
}

TEST(ToolCallParser, NestedTagsAreOneErrorBlock) {
  std::string text = "<tool_call><tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call></tool_call> after "
                     "<tool_call>{\"name\": \"y\", \"arguments\": {}}</tool_call>";
  auto calls = parse(text);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].error, "nested <tool_call> inside <tool_call>: write one call per block");
  EXPECT_EQ(calls[0].end, text.find(" after"));
  ASSERT_TRUE(calls[1].ok());
  EXPECT_EQ(calls[1].call->name, "y");
}

TEST(ToolCallParser, DeepNestingIsRejectedBeforeParsing) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": {\"a\": " + deep + "}}</tool_call>",
                     {.max_call_bytes = 1 << 20});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].error, "<tool_call> nests deeper than 16 levels");
  // Brackets inside strings do not count.
  calls = parse(R"(<tool_call>{"name": "x", "arguments": {"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}}</tool_call>)");
  EXPECT_TRUE(calls[0].ok()) << calls[0].error;
  // The JSON-string form of arguments is capped too.
  std::string deep_string = std::string(40, '[') + std::string(40, ']');
  calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": \"" + deep_string + "\"}</tool_call>");
  EXPECT_EQ(calls[0].error, "the \"arguments\" string nests deeper than 16 levels");
}

TEST(ToolCallParser, HugeInputsAreCapped) {
  std::string big_value(20000, 'C');
  auto calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": {\"smiles\": \"" + big_value + "\"}}</tool_call>");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].error.rfind("<tool_call> is too long (200", 0), 0u) << calls[0].error;
  std::string huge(2 << 20, 'a');
  calls = parse(huge);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].error.rfind("text too long to search for tool calls", 0), 0u);
}

TEST(ToolCallParser, TooManyCallsEndsWithOneError) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "<tool_call>{\"name\": \"x\", \"arguments\": {}}</tool_call>";
  auto calls = parse(text, {.max_calls = 3});
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_TRUE(calls[2].ok());
  EXPECT_EQ(calls[3].error, "too many tool calls in one message (the limit is 3); the rest were ignored");
}

TEST(ToolCallParser, UnicodeInsideAndAroundCalls) {
  auto calls = parse("Épaisseur 🙂 <tool_call>{\"name\": \"drug_lookup\", \"arguments\": {\"name\": \"paracétamol 🙂\"}}</tool_call>");
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0].ok()) << calls[0].error;
  EXPECT_EQ(calls[0].call->arguments["name"], "paracétamol 🙂");
  // Invalid UTF-8 inside the JSON is a parse error, not a crash.
  calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": {\"s\": \"\xff\xfe\"}}</tool_call>");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].ok());
  EXPECT_EQ(calls[0].error.rfind("malformed JSON in <tool_call>", 0), 0u);
}

TEST(ToolCallParser, TrailingTextInsideTagsIsAnError) {
  auto calls = parse("<tool_call>{\"name\": \"x\", \"arguments\": {}} thanks</tool_call>");
  EXPECT_FALSE(calls.at(0).ok());
  calls = parse("<tool_call>```json\n{\"name\": \"x\", \"arguments\": {}}\n```</tool_call>");
  EXPECT_FALSE(calls.at(0).ok());
}

TEST(ToolCallParser, NumberOverflowIsAnErrorNotAnException) {
  auto calls = parse("<tool_call>{\"name\": \"calculator\", \"arguments\": {\"x\": 1e400}}</tool_call>");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_FALSE(calls[0].ok());
  EXPECT_EQ(calls[0].error, "malformed JSON in <tool_call>: number overflow parsing '1e400'");
  calls = parse(R"(<tool_call>{"name": "x", "arguments": "{\"x\": -1e999}"}</tool_call>)");
  EXPECT_EQ(calls.at(0).error, "malformed JSON in the \"arguments\" string: number overflow parsing '-1e999'");
}

// A closing tag inside a JSON string ends the block there: the call is malformed and the rest is a stray
// closing tag, so nothing runs (the model must not smuggle a second block through a string).
TEST(ToolCallParser, ClosingTagInsideAStringEndsTheBlock) {
  auto calls = parse("<tool_call>{\"name\": \"echo\", \"arguments\": {\"text\": \"a</tool_call>b\"}}</tool_call>");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_FALSE(calls[0].ok());
  EXPECT_NE(calls[0].error.find("malformed JSON"), std::string::npos) << calls[0].error;
  EXPECT_FALSE(calls[1].ok());
  EXPECT_NE(calls[1].error.find("without an opening"), std::string::npos) << calls[1].error;
}

TEST(ToolCallParser, InvalidUtf8AndControlBytesAreErrorsNotExceptions) {
  for (std::string text : {std::string("<tool_call>{\"name\": \"x\", \"arguments\": {\"s\": \"\xff\xfe\"}}</tool_call>"),
                           std::string("<tool_call>{\"name\": \"a\0b\", \"arguments\": {}}</tool_call>", 55),
                           std::string("<tool_call>{\"name\": \"x\", \"arguments\": {\"s\": \"tab\there\"}}</tool_call>")}) {
    std::vector<ParsedToolCall> calls;
    ASSERT_NO_THROW(calls = parse(text));
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_FALSE(calls[0].ok());
    EXPECT_FALSE(calls[0].error.empty());
  }
}
