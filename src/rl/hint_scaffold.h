// Scaf-GRPO hint-tier bookkeeping: which examples have stayed at zero reward for N visits (after a
// warm-up), which hint tiers to try for them (knowledge -> planning -> partial solution), which tier
// last solved each one; JSON (de)serialisation for exact resume. The loop builds the hinted prompt,
// rolls it out, and replaces one failed rollout with the lowest tier's success. Torch-free.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::rl {

struct HintScaffoldOptions {
  int64_t num_tiers = 3;           // 0 knowledge, 1 planning, 2 partial solution
  int64_t patience = 1;            // visits with an all-zero group before hints start
  double warmup_fraction = 0.15;   // no hints in the first ~15% of steps (Scaf-GRPO)
  int64_t total_steps = 0;
  double zero_reward = 0.0;        // a group "scores 0" when every reward <= this
};

const char* hint_tier_name(int64_t tier);  // "knowledge", "planning", "partial_solution"

class HintScaffold {
 public:
  explicit HintScaffold(HintScaffoldOptions options = {}) : options_(options) {}

  // One visit of EXAMPLE_ID at optimiser step STEP with its (unhinted) group's rewards.
  void record_visit(const std::string& example_id, int64_t step, const std::vector<double>& rewards);
  // Tiers to try, lowest first, for this example now; empty when it needs no hint (warm-up, solved
  // on its own recently, or fewer than `patience` zero visits).
  std::vector<int64_t> tiers_to_try(const std::string& example_id, int64_t step) const;
  // After trying: the lowest tier whose hinted rollout was solved, or -1 when none was.
  void record_hint_result(const std::string& example_id, int64_t solved_tier);

  int64_t zero_visits(const std::string& example_id) const;
  int64_t last_solving_tier(const std::string& example_id) const;  // -1: none yet
  const std::vector<int64_t>& solved_per_tier() const { return solved_per_tier_; }
  int64_t unsolved_after_all_tiers() const { return unsolved_; }

  nlohmann::json to_json() const;
  static HintScaffold from_json(const nlohmann::json& state);

 private:
  struct Entry {
    int64_t zero_visits = 0;
    int64_t last_solving_tier = -1;
  };
  HintScaffoldOptions options_;
  std::map<std::string, Entry> entries_;
  std::vector<int64_t> solved_per_tier_ = std::vector<int64_t>(3, 0);
  int64_t unsolved_ = 0;
};

}  // namespace retort::rl
