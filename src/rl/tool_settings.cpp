// The "tools" config section, the registry it selects, reward penalty and metrics (see tool_settings.h).
#include "rl/tool_settings.h"

#include <algorithm>

#include "tools/default_tools.h"
#include "tools/tool_rewards.h"

namespace retort::rl {

rollout::ToolEpisodeLimits ToolSettings::limits() const {
  rollout::ToolEpisodeLimits l;
  l.max_calls = max_calls;
  l.max_response_tokens = max_response_tokens;
  l.deadline = std::chrono::milliseconds(deadline_ms);
  l.threads = threads;
  return l;
}

const tools::ToolRegistry& default_tool_registry() {
  static const tools::ToolRegistry registry = tools::make_default_registry();
  return registry;
}

ToolSettings read_tool_settings(const Config& c) {
  ToolSettings t;
  t.enabled = c.get_bool("tools.enabled", false);
  nlohmann::json names = c.get_json("tools.names", nlohmann::json::array());
  if (!names.is_array()) c.fail("tools.names", "must be an array of tool names");
  for (const auto& n : names) {
    if (!n.is_string()) c.fail("tools.names", "must be an array of tool names, got " + n.dump());
    std::string name = n.get<std::string>();
    if (!default_tool_registry().contains(name)) {
      std::string known;
      for (const auto& k : default_tool_registry().names()) known += (known.empty() ? "" : ", ") + k;
      c.fail("tools.names", "unknown tool '" + name + "' (known: " + known + ")");
    }
    t.names.push_back(name);
  }
  t.max_calls = c.get_int("tools.max_calls", 4, 0, 64);
  t.max_response_tokens = c.get_int("tools.max_response_tokens", 256, 8, 8192);
  t.deadline_ms = c.get_int("tools.deadline_ms", 10000, 1, 600000);
  t.threads = static_cast<int>(c.get_int("tools.threads", 4, 1, 64));
  t.error_cost = c.get_double("tools.error_cost", 0.0, 0.0);
  t.max_error_cost = c.get_double("tools.max_error_cost", 0.5, 0.0);
  return t;
}

tools::ToolRegistry tool_registry(const ToolSettings& settings) {
  if (settings.names.empty()) return default_tool_registry().select(default_tool_registry().names());
  return default_tool_registry().select(settings.names);
}

std::vector<nlohmann::ordered_json> tool_schemas(const ToolSettings& settings) {
  return tool_registry(settings).schema_list();
}

double tool_error_penalty(const ToolSettings& settings, const std::vector<ToolCallRecord>& calls) {
  tools::ToolUseRewardOptions options;
  options.error_cost = settings.error_cost;
  options.max_error_cost = settings.max_error_cost;
  options.call_cost = 0.0;
  return tools::score_tool_use({}, calls, options).components.at("tool_error_cost");
}

std::map<std::string, double> tool_metrics(const std::vector<std::vector<ToolCallRecord>>& calls_per_episode) {
  std::vector<Episode> episodes(calls_per_episode.size());
  double timeouts = 0;
  for (size_t i = 0; i < episodes.size(); ++i) {
    episodes[i].tool_calls = calls_per_episode[i];
    for (const auto& c : calls_per_episode[i]) timeouts += !c.ok && c.response.find("timed out") != std::string::npos;
  }
  std::map<std::string, double> m = tools::tool_use_metrics(episodes);
  m["tools/timeouts"] = timeouts;
  return m;
}

}  // namespace retort::rl
