// Reward transforms around the loss, as plain functions of numbers (no tensors): DAPO overlong shaping
// and the dynamic-sampling group filter, likelihood rewards (log-prob, VeriFree, RLPR + its std filter),
// noisy-verifier corrections, SAR, and verpo-style partial credit. Formulas: ../shared/ALGORITHMS.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::rl {

// DAPO overlong shaping: e = |o| - (L_max - L_buf); penalty = min(-e / L_buf, 0), floored at -1 (the
// DAPO paper's value for |o| > L_max). Add it to the reward. Source: DAPO (Yu et al. 2025), eq. 13.
double overlong_penalty(int64_t response_length, int64_t max_length, int64_t buffer_length);

// DAPO dynamic sampling: for rewards laid out by GROUP_IDS, true for each response whose group has
// non-zero reward spread (all rewards equal -> the group carries no GRPO signal and is dropped).
std::vector<bool> groups_with_reward_variance(const std::vector<double>& rewards, const std::vector<int64_t>& group_ids);
// Fraction of groups whose rewards are all equal (the metric frac_reward_zero_std).
double fraction_zero_std_groups(const std::vector<double>& rewards, const std::vector<int64_t>& group_ids);

// Likelihood rewards from the per-token log-probs of the reference answer a* appended after the policy's
// reasoning. Source: "Likelihood-Based Reward Designs for General LLM Reasoning".
//   log-prob: R = sum_t log p(a*_t) (or the mean, when per_token).
double log_prob_reward(const std::vector<double>& answer_token_logps, bool per_token = false);
//   VeriFree: R = exp(sum_t log p(a*_t)); 0 when the response has no answer slot.
double verifree_reward(const std::vector<double>& answer_token_logps, bool has_answer_slot = true);
// The direct term of a likelihood reward's gradient: d(weight * R)/d theta = weight * R * grad log pi(z)
// + c * grad log pi(a* | q, z), with c = weight (log_prob; / |a*| when per_token) or weight * R
// (VeriFree: grad pi(a*) = pi(a*) grad log pi(a*)). 0 for RLPR (its paper trains the reasoning only)
// and for a VeriFree response without an answer slot. KIND: "log_prob" | "verifree" | "rlpr".
double answer_gradient_coefficient(const std::string& kind, const std::vector<double>& answer_token_logps,
                                   double weight, bool per_token, bool has_answer_slot);
//   RLPR: score = mean_t p(a*_t); R = max(score_with_reasoning - score_without_reasoning, 0) + format bonus.
double rlpr_mean_token_probability(const std::vector<double>& answer_token_logps);
double rlpr_reward(const std::vector<double>& logps_with_reasoning, const std::vector<double>& logps_without_reasoning,
                   bool format_ok, double format_bonus = 0.1);

// RLPR's std filter: drop a prompt whose group reward std < ratio * EMA(std) (ratio 0.5, decay 0.99).
// The EMA starts at the first batch's mean group std and is updated after each batch is filtered.
class RlprStdFilter {
 public:
  explicit RlprStdFilter(double ratio = 0.5, double decay = 0.99) : ratio_(ratio), decay_(decay) {}
  // One keep flag per group std of this batch; then folds the batch mean std into the EMA.
  std::vector<bool> filter(const std::vector<double>& group_stds);
  double ema() const { return ema_; }
  nlohmann::json to_json() const;
  void load_json(const nlohmann::json& state);

 private:
  double ratio_, decay_;
  double ema_ = 0;
  bool initialised_ = false;
};

// SAR (Self-Aligned Reward): R_SA = max((ppl(a) - ppl(a|q)) / ppl(a), -1), ppl = exp(-mean token log-prob);
// total = R_verifier + weight * R_SA (weight 0.2). Source: SAR paper.
double self_aligned_reward(const std::vector<double>& answer_logps_with_question,
                           const std::vector<double>& answer_logps_without_question);
double reward_with_self_alignment(double verifier_reward, double self_aligned, double weight = 0.2);

// Noisy verifier with false-positive rate rho0 and false-negative rate rho1 (rho0 + rho1 < 1).
// Backward: R_hat = (R - rho0) / (1 - rho0 - rho1) (unbiased). Forward: the score function's weight,
// w = rho1 for R = 1 and rho1 - 1 for R = 0. Source: "RLVR with Verifiable yet Noisy Rewards".
double backward_corrected_reward(double observed_reward, double rho0, double rho1);
double forward_correction_weight(double observed_reward, double rho1);

// verpo-style partial credit for one group: PASSES[i][j] = response i passed check j. Checks with group
// pass rate p_j weigh w_j = exp(-alpha p_j); R_i = outcome_weight * all_pass_i + (1 - outcome_weight) *
// sum_j w_j pass_ij / sum_j w_j. alpha = 1 and outcome_weight = 0.5 are retort's choices (unconfirmed).
std::vector<double> partial_credit_rewards(const std::vector<std::vector<bool>>& passes, double alpha = 1.0,
                                           double outcome_weight = 0.5);

}  // namespace retort::rl
