// One tool turn: parse, call, render (see tool_turn.h).
#include "tools/tool_turn.h"

#include "tools/tool_response.h"

namespace retort::tools {

ToolCallRecord run_parsed_tool_call(const ToolRegistry& registry, const ParsedToolCall& parsed,
                                    const ToolTurnLimits& limits) {
  ToolCallRecord record;
  ToolResult result;
  try {
    if (parsed.ok()) {
      record.name = parsed.call->name;
      record.arguments = parsed.call->arguments;
      result = registry.call(parsed.call->name, parsed.call->arguments, Deadline::after(limits.per_call_deadline));
    } else {
      result = ToolResult::failure(parsed.error);
    }
    record.ok = result.ok;
    record.seconds = result.seconds;
    record.response = render_tool_response(result, limits.max_response_bytes);
  } catch (...) {  // allocation failure while rendering
    record.ok = false;
    record.response = "<tool_response>\n{\"ok\": false, \"error\": \"tool response could not be rendered\"}\n</tool_response>";
  }
  return record;
}

ToolCallRecord answer_tool_call(const ToolRegistry& registry, const ToolCallParser& parser, std::string_view segment,
                                const ToolTurnLimits& limits) {
  std::vector<ParsedToolCall> blocks;
  try {
    blocks = parser.parse(segment);
  } catch (...) {
  }
  if (blocks.empty()) {
    ParsedToolCall none;
    none.error = "no <tool_call> block found";
    return run_parsed_tool_call(registry, none, limits);
  }
  return run_parsed_tool_call(registry, blocks.back(), limits);
}

}  // namespace retort::tools
