// ChatML prompts as Qwen2.5-Instruct's chat template renders them (the template text is
// trl/chat_templates/qwen2_5.jinja, checked against transformers' apply_chat_template): system, user,
// assistant and tool turns, the default system prompt, the "# Tools" block with <tools></tools> JSON
// schemas, assistant tool calls as <tool_call> JSON, tool results as <tool_response> in user turns,
// and the generation prompt.
#pragma once
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace retort::model {

struct ChatTemplateError : retort::DataError {
  using retort::DataError::DataError;
};

struct ChatToolCall {
  std::string name;
  nlohmann::ordered_json arguments;  // rendered with Python json.dumps (a string stays a JSON string)
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant" or "tool"
  std::string content;
  std::vector<ChatToolCall> tool_calls;  // assistant turns only
};

// Reads an OpenAI/transformers-style message: {"role", "content" (string or null), "tool_calls":
// [{"type": "function", "function": {"name", "arguments"}} or {"name", "arguments"}]}. Throws
// ChatTemplateError naming `where` on a malformed message.
ChatMessage chat_message_from_json(const nlohmann::ordered_json& message, const std::string& where = "message");

class ChatTemplate {
 public:
  static constexpr const char* kQwen2_5DefaultSystemPrompt =
      "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

  // The system prompt used when the conversation does not start with a system message.
  explicit ChatTemplate(std::string default_system_prompt = kQwen2_5DefaultSystemPrompt)
      : default_system_prompt_(std::move(default_system_prompt)) {}

  // Qwen2.5-Instruct's chat template as Jinja text (for tokenizer_config.json's "chat_template").
  static const char* qwen2_5_jinja();

  // The prompt text. `tools` are JSON schemas (e.g. {"type": "function", "function": {...}}); with
  // none, no tools block is written. Throws ChatTemplateError for an empty conversation or an unknown
  // role (Qwen2.5's template silently drops unknown roles; retort refuses them).
  std::string render(std::span<const ChatMessage> messages, std::span<const nlohmann::ordered_json> tools = {},
                     bool add_generation_prompt = false) const;

 private:
  std::string default_system_prompt_;
};

}  // namespace retort::model
