// Advantage estimators registered by name (like verl's core_algos): rewards of groups of G responses
// to the same prompt -> per-token advantages. Formulas: ../shared/ALGORITHMS.md, "Advantages".
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace retort::rl {

// How a centred reward is divided before it becomes an advantage.
//   group: by the std of its own group (+eps); batch: by the std over the whole batch (+eps);
//   none: not divided. Each estimator has its own default (see advantages.cpp).
enum class RewardScaling { group, batch, none };
RewardScaling parse_reward_scaling(const std::string& name);  // "group" | "batch" | "none"
std::string to_string(RewardScaling scaling);

struct AdvantageInputs {
  at::Tensor rewards;        // (B,) float, one scalar reward per response
  at::Tensor group_ids;      // (B,) int64, responses to the same prompt share an id (any values)
  at::Tensor response_mask;  // (B, T) 0/1, tokens the policy produced (advantages are 0 elsewhere)
  at::Tensor token_ids;      // (B, T) int64, only for tempo (the prefix tree)
  at::Tensor valid_mask;     // (B, T) 0/1, tokens that exist (not padding); tempo's prefixes; default = response_mask
  at::Tensor metric;         // (B,) float, only for canon (entropy or length per response)
};

struct AdvantageOptions {
  std::optional<RewardScaling> scaling;  // unset: the estimator's default
  double eps = 1e-6;
  double canon_alpha = 1.0;  // canon: alpha, mu (ALGORITHMS.md defaults alpha=1, mu=1)
  double canon_mu = 1.0;
};

// (B, T) float advantages, zero where response_mask is 0.
using AdvantageFn = std::function<at::Tensor(const AdvantageInputs&, const AdvantageOptions&)>;

// Name -> estimator: grpo, drgrpo, rloo, reinforce_pp, tempo, canon.
const std::map<std::string, AdvantageFn>& advantage_registry();
std::vector<std::string> advantage_names();
// Looks NAME up and runs it; throws ConfigError naming the known estimators for an unknown name,
// and std::invalid_argument for inconsistent shapes.
at::Tensor compute_advantages(const std::string& name, const AdvantageInputs& inputs,
                              const AdvantageOptions& options = {});

// (B,) int64 group ids 0,0,..,1,1,.. for B responses laid out as consecutive groups of GROUP_SIZE.
at::Tensor contiguous_group_ids(int64_t batch_size, int64_t group_size);

}  // namespace retort::rl
