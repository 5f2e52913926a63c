// ToolCallParser: finds <tool_call>{"name": ..., "arguments": {...}}</tool_call> blocks (the Qwen/Hermes
// convention) in model text and turns each into a ToolCall or an error text the model can read.
//
// Tolerant of whitespace and newlines around the JSON; strict on structure:
//   - the block holds exactly one JSON object with a non-empty string "name" and an object "arguments";
//     any other key is an error (e.g. "parameters" gets a hint to use "arguments");
//   - "arguments" given as a JSON-encoded string whose content is an object is accepted (Qwen models
//     sometimes emit {"arguments": "{\"smiles\": \"CCO\"}"}); a string that is not an object is an error;
//   - no code fences, comments or trailing text inside the tags.
// Model output is untrusted: the whole text, each block and the JSON nesting depth are capped before any
// JSON parsing, and the number of blocks per text is capped. A nested <tool_call>, an unclosed one, or
// a stray </tool_call> is reported as an error block; text outside blocks is ignored.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::tools {

struct ToolCall {
  std::string name;
  nlohmann::json arguments;  // always an object
};

struct ParsedToolCall {
  std::optional<ToolCall> call;  // set when the block is well-formed
  std::string error;             // one readable line when it is not
  size_t begin = 0;              // byte range of the block in the text: <tool_call> ... </tool_call>
  size_t end = 0;                // (exclusive; the end of the text for an unclosed block)
  bool ok() const { return call.has_value(); }
};

struct ToolCallParserLimits {
  size_t max_text_bytes = 1 << 20;     // a longer text yields a single error block
  size_t max_call_bytes = 16 * 1024;   // JSON between the tags
  int max_json_depth = 16;             // nested objects/arrays, counted before parsing
  size_t max_calls = 8;                // blocks per text; beyond it one error block ends the list
};

class ToolCallParser {
 public:
  static constexpr std::string_view open_tag = "<tool_call>";
  static constexpr std::string_view close_tag = "</tool_call>";

  explicit ToolCallParser(ToolCallParserLimits limits = {}) : limits_(limits) {}

  // Every <tool_call> block of TEXT in order (empty when there is none), each a call or an error.
  std::vector<ParsedToolCall> parse(std::string_view text) const;
  // The JSON between one block's tags (surrounding whitespace allowed).
  ParsedToolCall parse_block(std::string_view inner) const;

  const ToolCallParserLimits& limits() const { return limits_; }

 private:
  ToolCallParserLimits limits_;
};

}  // namespace retort::tools
