// Scaf-GRPO hint-tier bookkeeping (see hint_scaffold.h).
#include "rl/hint_scaffold.h"

#include <cmath>
#include <stdexcept>

namespace retort::rl {

const char* hint_tier_name(int64_t tier) {
  switch (tier) {
    case 0: return "knowledge";
    case 1: return "planning";
    case 2: return "partial_solution";
    default: return "tier";
  }
}

void HintScaffold::record_visit(const std::string& example_id, int64_t step, const std::vector<double>& rewards) {
  bool all_zero = !rewards.empty();
  for (double r : rewards) all_zero = all_zero && r <= options_.zero_reward;
  auto& e = entries_[example_id];
  e.zero_visits = all_zero ? e.zero_visits + 1 : 0;
}

std::vector<int64_t> HintScaffold::tiers_to_try(const std::string& example_id, int64_t step) const {
  const auto warmup = static_cast<int64_t>(std::ceil(options_.warmup_fraction * static_cast<double>(options_.total_steps)));
  if (step < warmup) return {};
  auto it = entries_.find(example_id);
  if (it == entries_.end() || it->second.zero_visits < options_.patience) return {};
  std::vector<int64_t> tiers;
  for (int64_t t = 0; t < options_.num_tiers; ++t) tiers.push_back(t);
  return tiers;
}

void HintScaffold::record_hint_result(const std::string& example_id, int64_t solved_tier) {
  if (solved_tier < -1 || solved_tier >= options_.num_tiers)
    throw std::invalid_argument("hint scaffold: tier " + std::to_string(solved_tier) + " is not in [-1, " +
                                std::to_string(options_.num_tiers) + ")");
  auto& e = entries_[example_id];
  if (solved_tier < 0) {
    ++unsolved_;
    return;
  }
  e.last_solving_tier = solved_tier;
  if (static_cast<int64_t>(solved_per_tier_.size()) < options_.num_tiers) solved_per_tier_.resize(options_.num_tiers, 0);
  ++solved_per_tier_[solved_tier];
}

int64_t HintScaffold::zero_visits(const std::string& example_id) const {
  auto it = entries_.find(example_id);
  return it == entries_.end() ? 0 : it->second.zero_visits;
}

int64_t HintScaffold::last_solving_tier(const std::string& example_id) const {
  auto it = entries_.find(example_id);
  return it == entries_.end() ? -1 : it->second.last_solving_tier;
}

nlohmann::json HintScaffold::to_json() const {
  nlohmann::json entries = nlohmann::json::object();
  for (auto& [id, e] : entries_) entries[id] = {e.zero_visits, e.last_solving_tier};
  return {{"options",
           {{"num_tiers", options_.num_tiers},
            {"patience", options_.patience},
            {"warmup_fraction", options_.warmup_fraction},
            {"total_steps", options_.total_steps},
            {"zero_reward", options_.zero_reward}}},
          {"solved_per_tier", solved_per_tier_},
          {"unsolved", unsolved_},
          {"entries", entries}};
}

HintScaffold HintScaffold::from_json(const nlohmann::json& state) {
  try {
    auto& o = state.at("options");
    HintScaffoldOptions options;
    options.num_tiers = o.at("num_tiers").get<int64_t>();
    options.patience = o.at("patience").get<int64_t>();
    options.warmup_fraction = o.at("warmup_fraction").get<double>();
    options.total_steps = o.at("total_steps").get<int64_t>();
    options.zero_reward = o.at("zero_reward").get<double>();
    HintScaffold scaffold(options);
    scaffold.solved_per_tier_ = state.at("solved_per_tier").get<std::vector<int64_t>>();
    scaffold.unsolved_ = state.at("unsolved").get<int64_t>();
    for (auto& [id, v] : state.at("entries").items())
      scaffold.entries_[id] = {v.at(0).get<int64_t>(), v.at(1).get<int64_t>()};
    return scaffold;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("hint scaffold state: ") + e.what());
  }
}

}  // namespace retort::rl
