// Hard-sample mining bookkeeping (Fleming-R1): pass-rate statistics, stage-aware weighted sampling, JSON state.
#include "rl/hard_sample_mining.h"

#include <numeric>
#include <stdexcept>

namespace retort::rl {

void HardSampleMiner::record(const std::string& example_id, const std::vector<double>& rewards) {
  if (rewards.empty()) throw std::invalid_argument("hard-sample mining: example '" + example_id + "' has no rewards");
  auto& s = stats_[example_id];
  int64_t passed = 0;
  for (double r : rewards) passed += r >= options_.pass_threshold ? 1 : 0;
  s.visits += 1;
  s.attempts += static_cast<int64_t>(rewards.size());
  s.passes += passed;
  s.consecutive_failed_visits = passed == 0 ? s.consecutive_failed_visits + 1 : 0;
  recent_pass_rates_.push_back(static_cast<double>(passed) / static_cast<double>(rewards.size()));
  while (static_cast<int64_t>(recent_pass_rates_.size()) > options_.sparse_window) recent_pass_rates_.pop_front();
}

double HardSampleMiner::pass_rate(const std::string& example_id) const {
  auto it = stats_.find(example_id);
  if (it == stats_.end() || it->second.attempts == 0) return 0.0;
  return static_cast<double>(it->second.passes) / static_cast<double>(it->second.attempts);
}

bool HardSampleMiner::is_persistent_failure(const std::string& example_id) const {
  auto it = stats_.find(example_id);
  if (it == stats_.end() || it->second.attempts < options_.min_attempts) return false;
  return pass_rate(example_id) <= options_.hard_pass_rate;
}

bool HardSampleMiner::rewards_sparse() const {
  if (static_cast<int64_t>(recent_pass_rates_.size()) < options_.sparse_window) return false;
  const double mean = std::accumulate(recent_pass_rates_.begin(), recent_pass_rates_.end(), 0.0) /
                      static_cast<double>(recent_pass_rates_.size());
  return mean < options_.sparse_pass_rate;
}

std::vector<std::string> HardSampleMiner::sample(const std::vector<std::string>& candidates, size_t n,
                                                 std::mt19937_64& rng) const {
  std::vector<double> cumulative;
  double total = 0;
  for (auto& id : candidates) {
    const bool hard = is_persistent_failure(id);
    total += stage_ == 1 ? (hard ? 0.0 : 1.0) : (hard ? options_.oversample_factor : 1.0);
    cumulative.push_back(total);
  }
  if (total <= 0)
    throw std::invalid_argument("hard-sample mining: no example can be drawn (" + std::to_string(candidates.size()) +
                                " candidates, all excluded in stage " + std::to_string(stage_) + ")");
  std::vector<std::string> out;
  for (size_t k = 0; k < n; ++k) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * total;  // uniform in [0, total)
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    out.push_back(candidates[static_cast<size_t>(it - cumulative.begin())]);
  }
  return out;
}

int64_t HardSampleMiner::rollouts_for(const std::string& example_id, int64_t default_group_size) const {
  if (stage_ == 2 && options_.hard_group_size > 0 && is_persistent_failure(example_id)) return options_.hard_group_size;
  return default_group_size;
}

nlohmann::json HardSampleMiner::to_json() const {
  nlohmann::json examples = nlohmann::json::object();
  for (auto& [id, s] : stats_)
    examples[id] = {s.visits, s.attempts, s.passes, s.consecutive_failed_visits};
  return {{"stage", stage_},
          {"options",
           {{"pass_threshold", options_.pass_threshold},
            {"hard_pass_rate", options_.hard_pass_rate},
            {"min_attempts", options_.min_attempts},
            {"oversample_factor", options_.oversample_factor},
            {"hard_group_size", options_.hard_group_size},
            {"sparse_window", options_.sparse_window},
            {"sparse_pass_rate", options_.sparse_pass_rate}}},
          {"recent_pass_rates", std::vector<double>(recent_pass_rates_.begin(), recent_pass_rates_.end())},
          {"examples", examples}};
}

HardSampleMiner HardSampleMiner::from_json(const nlohmann::json& state) {
  try {
    auto& o = state.at("options");
    HardSampleOptions options;
    options.pass_threshold = o.at("pass_threshold").get<double>();
    options.hard_pass_rate = o.at("hard_pass_rate").get<double>();
    options.min_attempts = o.at("min_attempts").get<int64_t>();
    options.oversample_factor = o.at("oversample_factor").get<double>();
    options.hard_group_size = o.at("hard_group_size").get<int64_t>();
    options.sparse_window = o.at("sparse_window").get<int64_t>();
    options.sparse_pass_rate = o.at("sparse_pass_rate").get<double>();
    HardSampleMiner miner(options);
    miner.stage_ = state.at("stage").get<int>();
    for (double r : state.at("recent_pass_rates")) miner.recent_pass_rates_.push_back(r);
    for (auto& [id, v] : state.at("examples").items())
      miner.stats_[id] = {v.at(0).get<int64_t>(), v.at(1).get<int64_t>(), v.at(2).get<int64_t>(), v.at(3).get<int64_t>()};
    return miner;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("hard-sample mining state: ") + e.what());
  }
}

}  // namespace retort::rl
