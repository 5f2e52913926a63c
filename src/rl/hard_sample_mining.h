// Fleming-R1-style hard-sample mining bookkeeping: per-example pass-rate statistics, a stage-1 sampler
// that skips examples known to be hard, a stage-2 sampler that oversamples persistent failures (with
// more rollouts each), and JSON (de)serialisation for exact resume. Torch-free.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::rl {

struct HardSampleOptions {
  double pass_threshold = 0.5;        // a rollout with reward >= this counts as a pass
  double hard_pass_rate = 0.2;        // pass rate <= this after min_attempts: a persistent failure
  int64_t min_attempts = 4;
  double oversample_factor = 4.0;     // stage 2 sampling weight of a persistent failure (others 1)
  int64_t hard_group_size = 0;        // stage 2 rollouts for a persistent failure (0: the normal G)
  int64_t sparse_window = 64;         // stage 1 ends when the mean pass rate of the last
  double sparse_pass_rate = 0.1;      //   sparse_window visits falls below sparse_pass_rate
};
// The numbers above are retort's choices; the Fleming-R1 paper gives the procedure, not these values.

struct ExampleStats {
  int64_t visits = 0;    // groups rolled out for it
  int64_t attempts = 0;  // rollouts
  int64_t passes = 0;
  int64_t consecutive_failed_visits = 0;  // visits in a row with no pass
};

class HardSampleMiner {
 public:
  explicit HardSampleMiner(HardSampleOptions options = {}) : options_(options) {}

  // One visit of EXAMPLE_ID: the rewards of its group.
  void record(const std::string& example_id, const std::vector<double>& rewards);
  double pass_rate(const std::string& example_id) const;  // 0 for an unseen example
  bool is_persistent_failure(const std::string& example_id) const;
  const std::map<std::string, ExampleStats>& stats() const { return stats_; }

  int stage() const { return stage_; }
  // True once the recent visits' mean pass rate fell below sparse_pass_rate (time to start stage 2).
  bool rewards_sparse() const;
  void start_stage2() { stage_ = 2; }

  // Draws N ids (with replacement) from CANDIDATES. Stage 1: persistent failures get weight 0, the
  // rest 1; stage 2: persistent failures get oversample_factor, the rest 1. Deterministic for a given
  // engine state (its own inverse-CDF draw, not std::discrete_distribution).
  std::vector<std::string> sample(const std::vector<std::string>& candidates, size_t n, std::mt19937_64& rng) const;
  // Rollouts per group for EXAMPLE_ID: hard_group_size for a persistent failure in stage 2, else DEFAULT.
  int64_t rollouts_for(const std::string& example_id, int64_t default_group_size) const;

  nlohmann::json to_json() const;
  static HardSampleMiner from_json(const nlohmann::json& state);

 private:
  HardSampleOptions options_;
  std::map<std::string, ExampleStats> stats_;
  std::deque<double> recent_pass_rates_;
  int stage_ = 1;
};

}  // namespace retort::rl
