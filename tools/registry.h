// ToolRegistry: the tools the policy may call, by name. call(name, args, deadline) never throws: an
// unknown tool, bad arguments, a tool error or a timeout all come back as a ToolResult error text.
// schemas() is the list the chat template renders into the system prompt (Qwen/Hermes tools format).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/tool.h"

namespace retort::tools {

class ToolRegistry {
 public:
  // Throws std::invalid_argument for a duplicate name or a tool whose name is not [a-z0-9_]+.
  void add(std::shared_ptr<Tool> tool);
  bool contains(const std::string& name) const;
  std::vector<std::string> names() const;  // sorted
  const Tool* find(const std::string& name) const;  // nullptr when absent

  // Every tool as {"type": "function", "function": {"name", "description", "parameters"}}, by name.
  nlohmann::ordered_json schemas() const;
  // The same as a vector (for ChatTemplate::render's span of tool schemas in src/model/chat_template.h).
  std::vector<nlohmann::ordered_json> schema_list() const;

  // A registry with only NAMES (e.g. the tools one task exposes, to keep the system prompt short).
  // Throws std::invalid_argument naming an unknown tool.
  ToolRegistry select(const std::vector<std::string>& names) const;

  // Never throws; an unknown NAME is an error result listing the available tools.
  ToolResult call(const std::string& name, const nlohmann::json& args, Deadline deadline) const noexcept;

 private:
  std::map<std::string, std::shared_ptr<Tool>> tools_;
};

}  // namespace retort::tools
