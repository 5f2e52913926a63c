// Rendering of tool results for the model (see tool_response.h).
#include "tools/tool_response.h"

namespace retort::tools {
namespace {

using nlohmann::ordered_json;

void write(const ordered_json& v, std::string& out) {
  if (v.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : v.items()) {
      if (!first) out += ", ";
      first = false;
      out += ordered_json(key).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
      out += ": ";
      write(value, out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& value : v) {
      if (!first) out += ", ";
      first = false;
      write(value, out);
    }
    out += ']';
  } else {
    out += v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  }
}

// '<' followed by a letter, '/', '|', '!' or '?' starts something a reader could take for a tag.
std::string escape_tag_openers(const std::string& json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (size_t i = 0; i < json_text.size(); ++i) {
    char c = json_text[i];
    char next = i + 1 < json_text.size() ? json_text[i + 1] : '\0';
    bool tag_like = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/' || next == '|' ||
                    next == '!' || next == '?';
    if (c == '<' && tag_like)
      out += "\\u003c";  // inside a JSON string (the only place '<' can be), so still valid JSON
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string python_style_json(const ordered_json& value) {
  std::string out;
  write(value, out);
  return out;
}

std::string truncate_with_marker(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + " ...[truncated " + std::to_string(text.size() - cut) + " bytes]";
}

std::string tool_response_body(const ToolResult& result, size_t max_body_bytes) {
  return truncate_with_marker(escape_tag_openers(python_style_json(result.to_json())), max_body_bytes);
}

std::string render_tool_response(const ToolResult& result, size_t max_body_bytes) {
  return "<tool_response>\n" + tool_response_body(result, max_body_bytes) + "\n</tool_response>";
}

}  // namespace retort::tools
