// The table `retort train` prints at the end: one row per metric, one column per stage evaluated.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace retort::cli {

// STAGES: {"base": {metric: value}, "sft": {...}, "rl": {...}} -> an aligned text table.
std::string format_stage_table(const nlohmann::json& stages);

}  // namespace retort::cli
