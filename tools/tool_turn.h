// One tool turn for the rollout, as a thin layer over the parser, the registry and the renderer: the
// sampler stops a sequence at </tool_call>; answer_tool_call takes the text generated since the last
// tool response, runs its last <tool_call> block (or explains what is wrong with it) under a per-call
// deadline, and returns the ToolCallRecord whose `response` is the <tool_response>...</tool_response>
// text to splice in (loss mask 0). It never throws.
#pragma once
#include <chrono>
#include <string_view>

#include "core/episode.h"
#include "tools/registry.h"
#include "tools/tool_call_parser.h"

namespace retort::tools {

struct ToolTurnLimits {
  std::chrono::milliseconds per_call_deadline{10000};
  size_t max_response_bytes = 2048;  // of the JSON body; the rest becomes " ...[truncated N bytes]"
};

// Runs one parsed block (an error block becomes an ok=false record without running anything).
ToolCallRecord run_parsed_tool_call(const ToolRegistry& registry, const ParsedToolCall& parsed,
                                    const ToolTurnLimits& limits);

// The last <tool_call> block of SEGMENT, run and rendered; "no <tool_call> block" is an error record.
ToolCallRecord answer_tool_call(const ToolRegistry& registry, const ToolCallParser& parser, std::string_view segment,
                                const ToolTurnLimits& limits = {});

}  // namespace retort::tools
