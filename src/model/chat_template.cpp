// Qwen2.5-Instruct's ChatML chat template, statement by statement (see trl/chat_templates/qwen2_5.jinja).
#include "model/chat_template.h"

#include "model/chat_json.h"

namespace retort::model {

ChatMessage chat_message_from_json(const nlohmann::ordered_json& node, const std::string& where) {
  if (!node.is_object()) throw ChatTemplateError(where + ": expected an object with \"role\" and \"content\"");
  ChatMessage message;
  if (!node.contains("role") || !node["role"].is_string()) throw ChatTemplateError(where + ".role: expected a string");
  message.role = node["role"].get<std::string>();
  if (node.contains("content") && !node["content"].is_null()) {
    if (!node["content"].is_string()) throw ChatTemplateError(where + ".content: expected a string or null");
    message.content = node["content"].get<std::string>();
  }
  if (node.contains("tool_calls") && !node["tool_calls"].is_null()) {
    const auto& calls = node["tool_calls"];
    if (!calls.is_array()) throw ChatTemplateError(where + ".tool_calls: expected an array");
    for (std::size_t i = 0; i < calls.size(); ++i) {
      const std::string at = where + ".tool_calls[" + std::to_string(i) + "]";
      const auto& call = calls[i].is_object() && calls[i].contains("function") ? calls[i]["function"] : calls[i];
      if (!call.is_object() || !call.contains("name") || !call["name"].is_string())
        throw ChatTemplateError(at + ": expected {\"name\": string, \"arguments\": ...}");
      message.tool_calls.push_back({call["name"].get<std::string>(), call.value("arguments", nlohmann::ordered_json())});
    }
  }
  return message;
}

std::string ChatTemplate::render(std::span<const ChatMessage> messages, std::span<const nlohmann::ordered_json> tools,
                                 bool add_generation_prompt) const {
  if (messages.empty()) throw ChatTemplateError("chat template: the conversation has no messages");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string& role = messages[i].role;
    if (role != "system" && role != "user" && role != "assistant" && role != "tool")
      throw ChatTemplateError("chat template: message " + std::to_string(i) + " has unknown role '" + role +
                              "' (expected system, user, assistant or tool)");
  }
  std::string out;
  const bool starts_with_system = messages[0].role == "system";
  if (!tools.empty()) {
    out += "<|im_start|>system\n";
    out += starts_with_system ? messages[0].content : default_system_prompt_;
    out += "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
           "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    for (const auto& tool : tools) out += "\n" + python_json_dumps(tool);
    out += "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
           "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
           "<args-json-object>}\n</tool_call><|im_end|>\n";
  } else {
    out += "<|im_start|>system\n" + (starts_with_system ? messages[0].content : default_system_prompt_) + "<|im_end|>\n";
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    if (m.role == "user" || (m.role == "system" && i != 0) || (m.role == "assistant" && m.tool_calls.empty())) {
      out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
    } else if (m.role == "assistant") {
      out += "<|im_start|>assistant";
      if (!m.content.empty()) out += "\n" + m.content;
      for (const ChatToolCall& call : m.tool_calls)
        out += "\n<tool_call>\n{\"name\": \"" + call.name + "\", \"arguments\": " + python_json_dumps(call.arguments) +
               "}\n</tool_call>";
      out += "<|im_end|>\n";
    } else if (m.role == "tool") {
      if (i == 0 || messages[i - 1].role != "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + m.content + "\n</tool_response>";
      if (i + 1 == messages.size() || messages[i + 1].role != "tool") out += "<|im_end|>\n";
    }
  }
  if (add_generation_prompt) out += "<|im_start|>assistant\n";
  return out;
}

}  // namespace retort::model
