// The table `retort train` prints at the end: one row per metric, one column per stage evaluated.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace retort::cli {

// STAGES: {"base": {metric: value}, "sft": {...}, "rl": {...}} -> an aligned text table.
std::string format_stage_table(const nlohmann::json& stages);

// The task's main metric and whether RL beat SFT on it, e.g. "main metric roc_auc (higher is better):
// sft 0.703 -> rl 0.741 (+0.038): RL better than SFT". roc_auc for yes/no tasks, else rmse (lower is
// better) for numeric ones, else accuracy. Empty when the stages lack sft or rl.
std::string main_metric_line(const nlohmann::json& stages);

}  // namespace retort::cli
