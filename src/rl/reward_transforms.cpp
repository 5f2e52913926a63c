// Reward transforms: overlong shaping, dynamic-sampling filter, likelihood rewards, RLPR std filter,
// SAR, noisy-verifier corrections, partial credit. See reward_transforms.h for the formulas.
#include "rl/reward_transforms.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace retort::rl {
namespace {

std::map<int64_t, std::vector<size_t>> group_rows(const std::vector<double>& rewards,
                                                  const std::vector<int64_t>& group_ids) {
  if (rewards.size() != group_ids.size())
    throw std::invalid_argument("dynamic sampling: " + std::to_string(rewards.size()) + " rewards but " +
                                std::to_string(group_ids.size()) + " group ids");
  std::map<int64_t, std::vector<size_t>> rows;
  for (size_t i = 0; i < rewards.size(); ++i) rows[group_ids[i]].push_back(i);
  return rows;
}

bool all_equal(const std::vector<double>& rewards, const std::vector<size_t>& rows) {
  for (size_t k : rows)
    if (rewards[k] != rewards[rows.front()]) return false;
  return true;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

void require_tokens(const std::vector<double>& logps, const char* who) {
  if (logps.empty()) throw std::invalid_argument(std::string(who) + ": the reference answer has no tokens");
  for (double x : logps)
    if (std::isnan(x) || x > 1e-9) throw std::invalid_argument(std::string(who) + ": a token log-prob is NaN or > 0");
}

}  // namespace

double overlong_penalty(int64_t response_length, int64_t max_length, int64_t buffer_length) {
  if (buffer_length <= 0 || buffer_length > max_length)
    throw std::invalid_argument("overlong shaping: buffer length " + std::to_string(buffer_length) +
                                " must be in [1, max length " + std::to_string(max_length) + "]");
  const double excess = static_cast<double>(response_length - (max_length - buffer_length));
  return std::max(std::min(-excess / static_cast<double>(buffer_length), 0.0), -1.0);
}

std::vector<bool> groups_with_reward_variance(const std::vector<double>& rewards, const std::vector<int64_t>& group_ids) {
  std::vector<bool> keep(rewards.size(), false);
  for (auto& [id, rows] : group_rows(rewards, group_ids)) {
    const bool varied = !all_equal(rewards, rows);
    for (size_t k : rows) keep[k] = varied;
  }
  return keep;
}

double fraction_zero_std_groups(const std::vector<double>& rewards, const std::vector<int64_t>& group_ids) {
  auto rows = group_rows(rewards, group_ids);
  if (rows.empty()) return 0.0;
  double zero = 0;
  for (auto& [id, r] : rows) zero += all_equal(rewards, r) ? 1 : 0;
  return zero / static_cast<double>(rows.size());
}

double log_prob_reward(const std::vector<double>& logps, bool per_token) {
  require_tokens(logps, "log-prob reward");
  const double sum = std::accumulate(logps.begin(), logps.end(), 0.0);
  return per_token ? sum / static_cast<double>(logps.size()) : sum;
}

double verifree_reward(const std::vector<double>& logps, bool has_answer_slot) {
  if (!has_answer_slot) return 0.0;
  require_tokens(logps, "VeriFree reward");
  return std::exp(std::accumulate(logps.begin(), logps.end(), 0.0));
}

double answer_gradient_coefficient(const std::string& kind, const std::vector<double>& logps, double weight,
                                   bool per_token, bool has_answer_slot) {
  if (kind == "log_prob") {
    require_tokens(logps, "log-prob reward");
    return per_token ? weight / static_cast<double>(logps.size()) : weight;
  }
  if (kind == "verifree") return weight * verifree_reward(logps, has_answer_slot);
  return 0.0;
}

double rlpr_mean_token_probability(const std::vector<double>& logps) {
  require_tokens(logps, "RLPR reward");
  double sum = 0;
  for (double x : logps) sum += std::exp(x);
  return sum / static_cast<double>(logps.size());
}

double rlpr_reward(const std::vector<double>& with_reasoning, const std::vector<double>& without_reasoning,
                   bool format_ok, double format_bonus) {
  const double debiased = rlpr_mean_token_probability(with_reasoning) - rlpr_mean_token_probability(without_reasoning);
  return std::max(debiased, 0.0) + (format_ok ? format_bonus : 0.0);
}

std::vector<bool> RlprStdFilter::filter(const std::vector<double>& group_stds) {
  if (group_stds.empty()) return {};
  const double batch_mean = mean_of(group_stds);
  if (!initialised_) {
    ema_ = batch_mean;
    initialised_ = true;
  }
  std::vector<bool> keep;
  for (double s : group_stds) keep.push_back(s >= ratio_ * ema_);
  ema_ = decay_ * ema_ + (1 - decay_) * batch_mean;
  return keep;
}

nlohmann::json RlprStdFilter::to_json() const {
  return {{"ratio", ratio_}, {"decay", decay_}, {"ema", ema_}, {"initialised", initialised_}};
}

void RlprStdFilter::load_json(const nlohmann::json& state) {
  ratio_ = state.at("ratio").get<double>();
  decay_ = state.at("decay").get<double>();
  ema_ = state.at("ema").get<double>();
  initialised_ = state.at("initialised").get<bool>();
}

double self_aligned_reward(const std::vector<double>& with_question, const std::vector<double>& without_question) {
  require_tokens(with_question, "SAR");
  require_tokens(without_question, "SAR");
  const double ppl_conditional = std::exp(-mean_of(with_question));
  const double ppl_alone = std::exp(-mean_of(without_question));
  return std::max((ppl_alone - ppl_conditional) / ppl_alone, -1.0);
}

double reward_with_self_alignment(double verifier_reward, double self_aligned, double weight) {
  return verifier_reward + weight * self_aligned;
}

double backward_corrected_reward(double observed, double rho0, double rho1) {
  if (rho0 < 0 || rho1 < 0 || rho0 + rho1 >= 1)
    throw std::invalid_argument("noisy-verifier correction: need rho0, rho1 >= 0 and rho0 + rho1 < 1, got rho0 = " +
                                std::to_string(rho0) + ", rho1 = " + std::to_string(rho1));
  return (observed - rho0) / (1 - rho0 - rho1);
}

double forward_correction_weight(double observed, double rho1) {
  if (rho1 < 0 || rho1 >= 1)
    throw std::invalid_argument("noisy-verifier forward correction: rho1 must be in [0, 1), got " + std::to_string(rho1));
  return observed >= 0.5 ? rho1 : rho1 - 1;
}

std::vector<double> partial_credit_rewards(const std::vector<std::vector<bool>>& passes, double alpha,
                                           double outcome_weight) {
  if (passes.empty()) return {};
  const size_t checks = passes.front().size();
  for (auto& row : passes)
    if (row.size() != checks)
      throw std::invalid_argument("partial credit: every response needs the same number of checks (" +
                                  std::to_string(checks) + "), got " + std::to_string(row.size()));
  if (checks == 0) return std::vector<double>(passes.size(), 0.0);
  std::vector<double> weight(checks);
  for (size_t j = 0; j < checks; ++j) {
    double rate = 0;
    for (auto& row : passes) rate += row[j] ? 1 : 0;
    weight[j] = std::exp(-alpha * rate / static_cast<double>(passes.size()));
  }
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  std::vector<double> rewards;
  for (auto& row : passes) {
    double credit = 0;
    bool all_pass = true;
    for (size_t j = 0; j < checks; ++j) {
      credit += row[j] ? weight[j] : 0.0;
      all_pass = all_pass && row[j];
    }
    rewards.push_back(outcome_weight * (all_pass ? 1.0 : 0.0) + (1 - outcome_weight) * credit / total);
  }
  return rewards;
}

}  // namespace retort::rl
