// ToolCallParser (see tool_call_parser.h): tag scanning, size/depth caps, then structural checks.
#include "tools/tool_call_parser.h"

#include "tools/json_schema.h"

namespace retort::tools {
namespace {

using nlohmann::json;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Deepest nesting of objects/arrays in S, outside string literals; stops counting past LIMIT.
int json_depth(std::string_view s, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 9: ..." without the id.
std::string readable_parse_error(const json::exception& e) {
  std::string what = e.what();
  auto close = what.find("] ");
  if (what.rfind("[json.exception", 0) == 0 && close != std::string::npos) what = what.substr(close + 2);
  if (what.size() > 300) what = what.substr(0, 300) + "...";
  return what;
}

// Parses S as JSON after the caps; on failure sets *error and returns nullopt.
std::optional<json> parse_capped(std::string_view s, const ToolCallParserLimits& limits, const std::string& what,
                                 std::string* error) {
  if (s.size() > limits.max_call_bytes) {
    *error = what + " is too long (" + std::to_string(s.size()) + " bytes; the limit is " +
             std::to_string(limits.max_call_bytes) + ")";
    return std::nullopt;
  }
  if (json_depth(s, limits.max_json_depth) > limits.max_json_depth) {
    *error = what + " nests deeper than " + std::to_string(limits.max_json_depth) + " levels";
    return std::nullopt;
  }
  try {
    return json::parse(s.begin(), s.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    *error = "malformed JSON in " + what + ": " + readable_parse_error(e);
    return std::nullopt;
  }
}

const char* kExpectedShape = "{\"name\": <tool name>, \"arguments\": {<arguments>}}";

ParsedToolCall failed(std::string message) {
  ParsedToolCall p;
  p.error = std::move(message);
  return p;
}

}  // namespace

ParsedToolCall ToolCallParser::parse_block(std::string_view inner) const {
  std::string_view body = trim(inner);
  if (body.empty()) return failed(std::string("empty <tool_call>: expected ") + kExpectedShape);
  std::string error;
  auto parsed = parse_capped(body, limits_, "<tool_call>", &error);
  if (!parsed) return failed(error);
  const json& j = *parsed;
  if (!j.is_object())
    return failed("a tool call must be a JSON object " + std::string(kExpectedShape) + ", got " + json_type_name(j));
  for (const auto& [key, value] : j.items()) {
    if (key == "name" || key == "arguments") continue;
    std::string shown = key.size() > 40 ? key.substr(0, 40) + "..." : key;
    std::string hint = key == "parameters" ? " (use \"arguments\")" : "";
    return failed("unexpected key '" + shown + "' in tool call" + hint + ": expected exactly " + kExpectedShape);
  }
  auto name = j.find("name");
  if (name == j.end()) return failed(std::string("tool call has no \"name\": expected ") + kExpectedShape);
  if (!name->is_string()) return failed("tool call \"name\" must be a string, got " + json_type_name(*name));
  if (name->get_ref<const std::string&>().empty()) return failed("tool call \"name\" is empty");
  auto arguments = j.find("arguments");
  if (arguments == j.end())
    return failed(std::string("tool call has no \"arguments\" object: expected ") + kExpectedShape);
  json args = *arguments;
  if (args.is_string()) {  // a JSON-encoded arguments object, as Qwen models sometimes write
    std::string inner_error;
    auto decoded = parse_capped(args.get_ref<const std::string&>(), limits_, "the \"arguments\" string", &inner_error);
    if (!decoded) return failed(inner_error);
    if (!decoded->is_object())
      return failed("tool call \"arguments\" string must encode a JSON object, got " + json_type_name(*decoded));
    args = std::move(*decoded);
  } else if (!args.is_object()) {
    return failed("tool call \"arguments\" must be an object, got " + json_type_name(args));
  }
  ParsedToolCall out;
  out.call = ToolCall{name->get<std::string>(), std::move(args)};
  return out;
}

std::vector<ParsedToolCall> ToolCallParser::parse(std::string_view text) const {
  std::vector<ParsedToolCall> out;
  if (text.size() > limits_.max_text_bytes) {
    auto p = failed("text too long to search for tool calls (" + std::to_string(text.size()) +
                    " bytes; the limit is " + std::to_string(limits_.max_text_bytes) + ")");
    p.begin = 0;
    p.end = text.size();
    out.push_back(std::move(p));
    return out;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find(open_tag, pos);
    size_t close = text.find(close_tag, pos);
    if (open == std::string_view::npos && close == std::string_view::npos) break;
    if (out.size() >= limits_.max_calls) {
      auto p = failed("too many tool calls in one message (the limit is " + std::to_string(limits_.max_calls) +
                      "); the rest were ignored");
      p.begin = std::min(open, close);
      p.end = text.size();
      out.push_back(std::move(p));
      break;
    }
    if (close < open) {  // a closing tag with no opening one
      auto p = failed("</tool_call> without an opening <tool_call>");
      p.begin = close;
      p.end = close + close_tag.size();
      pos = p.end;
      out.push_back(std::move(p));
      continue;
    }
    size_t body_begin = open + open_tag.size();
    size_t next_open = text.find(open_tag, body_begin);
    if (close == std::string_view::npos) {
      auto p = failed("unclosed <tool_call>: no </tool_call> follows it");
      p.begin = open;
      p.end = text.size();
      out.push_back(std::move(p));
      break;
    }
    if (next_open < close) {  // nested: consume up to the balancing close tag
      int depth = 1;
      size_t scan = body_begin, end = text.size();
      while (depth > 0) {
        size_t o = text.find(open_tag, scan), c = text.find(close_tag, scan);
        if (c == std::string_view::npos) break;
        if (o < c) {
          ++depth;
          scan = o + open_tag.size();
        } else {
          --depth;
          scan = c + close_tag.size();
          if (depth == 0) end = scan;
        }
      }
      auto p = failed("nested <tool_call> inside <tool_call>: write one call per block");
      p.begin = open;
      p.end = end;
      pos = end;
      out.push_back(std::move(p));
      continue;
    }
    ParsedToolCall p = parse_block(text.substr(body_begin, close - body_begin));
    p.begin = open;
    p.end = close + close_tag.size();
    pos = p.end;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace retort::tools
