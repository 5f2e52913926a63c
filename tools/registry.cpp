// ToolRegistry (see registry.h).
#include "tools/registry.h"

#include <stdexcept>

namespace retort::tools {

void ToolRegistry::add(std::shared_ptr<Tool> tool) {
  if (!tool) throw std::invalid_argument("ToolRegistry::add: null tool");
  const std::string& name = tool->name();
  bool valid = !name.empty() && name.size() <= 64;
  for (char c : name) valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!valid) throw std::invalid_argument("tool name '" + name + "' must be 1-64 characters of [a-z0-9_]");
  if (tools_.count(name)) throw std::invalid_argument("tool '" + name + "' is registered twice");
  tools_.emplace(name, std::move(tool));
}

bool ToolRegistry::contains(const std::string& name) const { return tools_.count(name) > 0; }

std::vector<std::string> ToolRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, tool] : tools_) out.push_back(name);
  return out;
}

const Tool* ToolRegistry::find(const std::string& name) const {
  auto it = tools_.find(name);
  return it == tools_.end() ? nullptr : it->second.get();
}

nlohmann::ordered_json ToolRegistry::schemas() const {
  auto out = nlohmann::ordered_json::array();
  for (const auto& [name, tool] : tools_) out.push_back(tool->schema());
  return out;
}

ToolRegistry ToolRegistry::select(const std::vector<std::string>& names) const {
  ToolRegistry out;
  for (const auto& name : names) {
    auto it = tools_.find(name);
    if (it == tools_.end()) {
      std::string known;
      for (const auto& [n, t] : tools_) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument("unknown tool '" + name + "' (available: " + known + ")");
    }
    if (!out.contains(name)) out.tools_.emplace(name, it->second);
  }
  return out;
}

std::vector<nlohmann::ordered_json> ToolRegistry::schema_list() const {
  std::vector<nlohmann::ordered_json> out;
  for (const auto& [name, tool] : tools_) out.push_back(tool->schema());
  return out;
}

ToolResult ToolRegistry::call(const std::string& name, const nlohmann::json& args, Deadline deadline) const noexcept {
  try {
    auto it = tools_.find(name);
    if (it == tools_.end()) {
      std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
      std::string known;
      for (const auto& [n, t] : tools_) known += (known.empty() ? "" : ", ") + n;
      return ToolResult::failure("unknown tool '" + shown + "' (available: " + known + ")");
    }
    return it->second->call(args, deadline);
  } catch (...) {  // string allocation only
    return ToolResult::failure("tool call failed");
  }
}

}  // namespace retort::tools
