// What the model reads back after a tool call: the ToolResult as one JSON object in a
// <tool_response>...</tool_response> block, JSON written the way Python's json.dumps writes it (the
// format HF chat templates produce), capped in length with a marker, and with any text that could pass
// for a tag (<tool_call>, </tool_response>, <answer>, <|im_end|>, ...) escaped as \u003c inside the
// JSON strings, so tool output echoing model text cannot open or close blocks.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tools/tool.h"

namespace retort::tools {

// json.dumps(value, ensure_ascii=False) layout: ", " and ": " separators, keys in stored order.
// Invalid UTF-8 in strings becomes U+FFFD.
std::string python_style_json(const nlohmann::ordered_json& value);

// TEXT cut to at most MAX_BYTES bytes on a UTF-8 character boundary, followed by
// " ...[truncated N bytes]" when anything was cut (the marker is not counted in MAX_BYTES).
std::string truncate_with_marker(std::string_view text, size_t max_bytes);

// The JSON body the model sees for RESULT ({"ok": ..., "result"|"error": ...}), tag-like text escaped,
// truncated to MAX_BODY_BYTES.
std::string tool_response_body(const ToolResult& result, size_t max_body_bytes);

// "<tool_response>\n" + tool_response_body(...) + "\n</tool_response>".
std::string render_tool_response(const ToolResult& result, size_t max_body_bytes = 4096);

}  // namespace retort::tools
