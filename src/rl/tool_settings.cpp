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
  t.prompt_schemas = c.get_string("tools.prompt_schemas", "full", {"full", "compact", "none"});
  return t;
}

tools::ToolRegistry tool_registry(const ToolSettings& settings) {
  if (settings.names.empty()) return default_tool_registry().select(default_tool_registry().names());
  return default_tool_registry().select(settings.names);
}

std::vector<nlohmann::ordered_json> tool_schemas(const ToolSettings& settings) {
  if (settings.prompt_schemas == "none") return {};
  std::vector<nlohmann::ordered_json> schemas = tool_registry(settings).schema_list();
  if (settings.prompt_schemas == "compact")
    for (auto& s : schemas) s = compact_tool_schema(s);
  return schemas;
}

namespace {

// "Average molecular weight (g/mol, IUPAC atomic weights) and monoisotopic exact mass." stays one
// sentence without the aside: "Average molecular weight and monoisotopic exact mass."
std::string first_sentence_without_asides(const std::string& text) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '(') {
      ++depth;
      while (!out.empty() && out.back() == ' ') out.pop_back();  // the space before the aside
      continue;
    }
    if (ch == ')' && depth > 0) {
      --depth;
      continue;
    }
    if (depth > 0) continue;
    if (ch == '.' && (i + 1 == text.size() || text[i + 1] == ' ')) break;
    out += ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? out : out + ".";
}

}  // namespace

nlohmann::ordered_json compact_tool_schema(const nlohmann::ordered_json& schema) {
  const nlohmann::ordered_json& function = schema.at("function");
  nlohmann::ordered_json parameters = {{"type", "object"}, {"properties", nlohmann::ordered_json::object()}};
  nlohmann::ordered_json required = nlohmann::ordered_json::array();
  const nlohmann::ordered_json& full = function.value("parameters", nlohmann::ordered_json::object());
  if (full.contains("required") && full.contains("properties")) {
    for (const auto& name : full.at("required")) {
      const std::string key = name.get<std::string>();
      const nlohmann::ordered_json& property = full.at("properties").value(key, nlohmann::ordered_json::object());
      nlohmann::ordered_json compact = nlohmann::ordered_json::object();
      if (property.contains("type")) compact["type"] = property.at("type");
      parameters["properties"][key] = compact;
      required.push_back(key);
    }
  }
  parameters["required"] = required;
  return {{"type", schema.value("type", "function")},
          {"function",
           {{"name", function.at("name")},
            {"description", first_sentence_without_asides(function.value("description", ""))},
            {"parameters", parameters}}}};
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
