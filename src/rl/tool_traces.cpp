// Tool-using SFT targets from meta.tool_trace (see tool_traces.h).
#include "rl/tool_traces.h"

#include "core/errors.h"
#include "rollout/tool_episode.h"
#include "tools/tool_response.h"

namespace retort::rl {

bool has_tool_trace(const Example& example) { return example.meta.contains("tool_trace"); }

std::string tool_call_text(const std::string& name, const nlohmann::json& arguments) {
  nlohmann::ordered_json args = nlohmann::ordered_json::parse(arguments.dump());
  return "\n<tool_call>\n{\"name\": \"" + name + "\", \"arguments\": " + tools::python_style_json(args) + "}\n</tool_call>";
}

ToolTraceTarget tool_trace_target(const PromptBuilder& prompts, const Example& example) {
  const std::string where = "example " + example.id + ": meta.tool_trace";
  const nlohmann::json& trace = example.meta.at("tool_trace");
  if (!trace.is_array() || trace.empty()) throw DataError(where + ": must be a non-empty array of turns");
  const ToolSettings& settings = prompts.tool_settings();
  tools::ToolRegistry registry = tool_registry(settings);
  rollout::ToolEpisodeRunner runner(registry, prompts.tokenizer(), settings.limits());
  ToolTraceTarget out;
  auto add = [&](const std::vector<int64_t>& ids, float mask) {
    out.ids.insert(out.ids.end(), ids.begin(), ids.end());
    out.mask.insert(out.mask.end(), ids.size(), mask);
  };
  for (size_t k = 0; k < trace.size(); ++k) {
    const auto& turn = trace[k];
    const std::string at = where + "[" + std::to_string(k) + "]";
    if (!turn.is_object() || !turn.contains("content") || !turn["content"].is_string())
      throw DataError(at + ": need {\"content\": string, \"tool_call\"?: {\"name\", \"arguments\"}}");
    std::string text = turn["content"].get<std::string>();
    const bool last = k + 1 == trace.size();
    if (turn.contains("tool_call")) {
      const auto& call = turn["tool_call"];
      if (last) throw DataError(at + ": the last turn must answer, not call a tool");
      if (!call.is_object() || !call.contains("name") || !call["name"].is_string() || !call.contains("arguments") ||
          !call["arguments"].is_object())
        throw DataError(at + ".tool_call: need {\"name\": string, \"arguments\": object}");
      text += tool_call_text(call["name"].get<std::string>(), call["arguments"]);
    } else if (!last) {
      throw DataError(at + ": every turn but the last must call a tool");
    }
    if (last) {
      add(prompts.completion_ids(text), 1.0f);  // ends with <|im_end|>
      out.text += text + "<|im_end|>";
      break;
    }
    std::vector<int64_t> ids;
    for (int32_t id : prompts.tokenizer().encode(text)) ids.push_back(id);
    add(ids, 1.0f);
    ToolCallRecord record = runner.answer(text);
    std::vector<int64_t> turn_ids = rollout::tool_turn_ids(prompts.tokenizer(), record.response, settings.max_response_tokens);
    add(turn_ids, 0.0f);
    std::vector<int32_t> turn32(turn_ids.begin(), turn_ids.end());
    out.text += text + prompts.tokenizer().decode(turn32, false);
  }
  return out;
}

}  // namespace retort::rl
