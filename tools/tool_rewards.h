// Rewards and metrics for tool use. CM2-style checklist (CM2: Reinforcement Learning with Checklist
// Rewards for Multi-Turn and Multi-Step Agentic Tool Use): a task lists binary items - "a call of tool X
// was made", optionally "with these argument values", "and it succeeded", or "tool X was NOT called" -
// and the reward is the weighted fraction of items met, minus a configurable cost per call that returned
// an error (capped). Registered as the verifier "tools.checklist".
//
// Verifier options (all optional): {"checklist": [items], "error_cost": 0.1, "max_error_cost": 0.5,
// "call_cost": 0.0}. Items come from the options or, per task, from Example.meta["tool_checklist"]
// (the task's list wins). An item: {"tool": "similarity", "arguments": {"smiles_b": "CCO"},
// "must_succeed": true, "forbidden": false, "weight": 1.0}. Argument values match when equal as JSON,
// numbers within a relative 1e-6, and for keys containing "smiles" when the canonical SMILES agree.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/episode.h"
#include "core/verifier.h"

namespace retort::tools {

struct ChecklistItem {
  std::string tool;
  nlohmann::json arguments = nlohmann::json::object();  // each key given must match the call's value
  bool must_succeed = true;
  bool forbidden = false;  // met when no call of `tool` appears
  double weight = 1.0;
};

struct ToolUseRewardOptions {
  double error_cost = 0.1;      // subtracted per call whose result was an error
  double max_error_cost = 0.5;  // cap on the total error cost
  double call_cost = 0.0;       // subtracted per call (discourages needless calls); not capped
};

// Throws std::invalid_argument naming WHERE and the field ("meta.tool_checklist[1]: \"tool\" must be a string").
ChecklistItem checklist_item_from_json(const nlohmann::json& j, const std::string& where);
std::vector<ChecklistItem> checklist_from_json(const nlohmann::json& j, const std::string& where);

bool call_meets_item(const ChecklistItem& item, const ToolCallRecord& call);

// components: tool_checklist (weighted fraction met; 1 with no items), tool_error_cost (<= 0),
// tool_call_cost (<= 0); total = their sum; correct = every item met.
Score score_tool_use(const std::vector<ChecklistItem>& items, const std::vector<ToolCallRecord>& calls,
                     const ToolUseRewardOptions& options = {});

// Batch metrics over episodes: tools/calls_per_episode, tools/error_rate (errors / calls, 0 without
// calls), tools/episodes_with_calls (fraction), tools/mean_call_seconds, and per tool
// tools/<name>/calls and tools/<name>/errors (counts over the batch; unparsable calls count as
// "invalid_call").
std::map<std::string, double> tool_use_metrics(const std::vector<Episode>& episodes);

// Adds "tools.checklist" to REGISTRY.
void register_verifiers(VerifierRegistry& registry);

}  // namespace retort::tools
