// SFT targets with tool calls (issue 7): an Example whose meta.tool_trace lists assistant turns
//   [{"content": "<think>...</think>", "tool_call": {"name": "molecular_weight", "arguments": {...}}},
//    ..., {"content": "<think>...</think>\n<answer>...</answer>"}]
// becomes the token row a rollout with tools would produce: each turn's text (with its <tool_call> block
// written as Qwen's chat template writes it) trains (mask 1); after each call the tool runs now, through
// the same parser, registry, limits and tool-turn layout as rollouts (rollout/tool_episode.h), and its
// turn is appended with mask 0; the last turn ends with <|im_end|> (mask 1).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/example.h"
#include "rl/prompting.h"

namespace retort::rl {

struct ToolTraceTarget {
  std::vector<int64_t> ids;    // after the prompt
  std::vector<float> mask;     // 1 = assistant text (trains), 0 = tool turn
  std::string text;            // decoded, for people to read
};

bool has_tool_trace(const Example& example);
// Throws DataError naming the example when meta.tool_trace is malformed. Tools run under
// PROMPTS.tool_settings() (its names and limits; the trace is rendered even when tools are off).
ToolTraceTarget tool_trace_target(const PromptBuilder& prompts, const Example& example);
// '\n<tool_call>\n{"name": NAME, "arguments": ARGS}\n</tool_call>' as the chat template writes a call.
std::string tool_call_text(const std::string& name, const nlohmann::json& arguments);

}  // namespace retort::rl
