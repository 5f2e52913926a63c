// The "tools" section of a `retort train` config (issue 7): whether rollouts may call tools, which ones,
// the per-episode limits, and the reward cost of failed calls. Also the registry and prompt schemas the
// settings select, the reward adjustment and the tools/* metrics of a batch of rollouts.
//
//   "tools": {"enabled": true, "names": ["molecular_weight", "descriptors"], "max_calls": 4,
//             "max_response_tokens": 256, "deadline_ms": 10000, "threads": 4,
//             "error_cost": 0.1, "max_error_cost": 0.5, "prompt_schemas": "full"}
// prompt_schemas says how much of each schema the system prompt's "# Tools" block carries: "full" (the
// default: the registry's whole schema), "compact" (compact_tool_schema: ~50 tokens a tool instead of
// 110-230) or "none" (no "# Tools" block; the config's system prompt must name the tools - for a policy
// trained from scratch, which learns the tools from its SFT traces and cannot read schemas anyway).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "core/episode.h"
#include "rollout/tool_episode.h"
#include "tools/registry.h"

namespace retort::rl {

struct ToolSettings {
  bool enabled = false;
  std::vector<std::string> names;  // tools the policy may call; empty = every tool of the build
  int64_t max_calls = 4;           // tool runs per episode
  int64_t max_response_tokens = 256;
  int64_t deadline_ms = 10000;     // per call
  int threads = 4;                 // calls run at once across a batch
  double error_cost = 0.0;         // subtracted from the reward per failed call ...
  double max_error_cost = 0.5;     // ... up to this much per episode
  std::string prompt_schemas = "full";  // "full", "compact" or "none" (see above)

  rollout::ToolEpisodeLimits limits() const;
};

// Reads tools.* (every key optional); unknown tool names fail naming tools.names and the known tools.
ToolSettings read_tool_settings(const Config& config);

// The registry of every tool this build has (made once per process; tools are thread-safe).
const tools::ToolRegistry& default_tool_registry();
// The tools SETTINGS allow (all when names is empty).
tools::ToolRegistry tool_registry(const ToolSettings& settings);
// Their JSON schemas, for the "# Tools" block of the system prompt, as settings.prompt_schemas says
// (empty for "none": the template then renders no "# Tools" block).
std::vector<nlohmann::ordered_json> tool_schemas(const ToolSettings& settings);
// SCHEMA ({"type": "function", "function": {"name", "description", "parameters"}}) with the description
// cut to its first sentence, parenthesised asides removed, and the parameters reduced to the required
// arguments with their types: {"type": "object", "properties": {"smiles": {"type": "string"}}, "required": [...]}.
nlohmann::ordered_json compact_tool_schema(const nlohmann::ordered_json& schema);

// The reward change for an episode's CALLS: -error_cost per failed call, at most -max_error_cost.
double tool_error_penalty(const ToolSettings& settings, const std::vector<ToolCallRecord>& calls);

// Metrics over a batch's episodes (tools::tool_use_metrics): tools/calls_per_episode, tools/error_rate
// (failed / all calls), tools/episodes_with_calls, tools/mean_call_seconds, tools/timeouts, and per tool
// tools/<name>/calls and tools/<name>/errors (counts over the batch; unparsable calls count as
// "invalid_call", refusals past the limit as "call_limit").
std::map<std::string, double> tool_metrics(const std::vector<std::vector<ToolCallRecord>>& calls_per_episode);

}  // namespace retort::rl
