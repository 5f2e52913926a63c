// Policy losses (ppo_clip, dapo, gspo, cispo, dispo, real), aggregation, KL penalty and entropy bonus.
// Each loss is one function below with its formula and source in the two comment lines above it.
#include "rl/losses.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/errors.h"

namespace retort::rl {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

void check_inputs(const PolicyLossInputs& in, const char* who) {
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(std::string("policy loss/") + who + ": " + what);
  };
  if (!in.logp.defined() || in.logp.dim() != 2) fail("logp must be (B, T)");
  auto same = [&](const at::Tensor& t, const char* name) {
    if (!t.defined() || t.sizes() != in.logp.sizes())
      fail(std::string(name) + " must be (B, T) like logp " + std::to_string(in.logp.size(0)) + "x" +
           std::to_string(in.logp.size(1)));
  };
  same(in.old_logp, "old_logp");
  same(in.advantages, "advantages");
  same(in.mask, "mask");
  if (in.ref_logp.defined()) same(in.ref_logp, "ref_logp");
  if (in.entropy.defined()) same(in.entropy, "entropy");
}

at::Tensor float_mask(const PolicyLossInputs& in) { return in.mask.to(in.logp.scalar_type()); }

// log r = clamp(logp - old_logp, -c, c), (B, T).
at::Tensor clamped_log_ratio(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  return at::clamp(in.logp - in.old_logp.detach(), -o.log_ratio_clamp, o.log_ratio_clamp);
}

// Masked mean over the local tokens, for metrics.
double token_mean_metric(const at::Tensor& values, const at::Tensor& mask) {
  auto m = mask.to(at::kDouble);
  const double n = m.sum().item<double>();
  return n > 0 ? (values.detach().to(at::kDouble) * m).sum().item<double>() / n : 0.0;
}

// Adds the KL and entropy terms every loss shares, and their metrics.
PolicyLossOutput finish(at::Tensor policy_loss, std::map<std::string, double> metrics, const PolicyLossInputs& in,
                        const PolicyLossOptions& o, Aggregation aggregation) {
  auto mask = float_mask(in);
  metrics["pg_loss"] = policy_loss.detach().item<double>();
  at::Tensor loss = policy_loss;
  if (o.kl_coef > 0 && !in.ref_logp.defined())
    throw std::invalid_argument("policy loss: kl_coef > 0 needs ref_logp (the reference policy's log-probs)");
  if (in.ref_logp.defined()) {
    auto kl = kl_penalty(in.logp, in.ref_logp, o.kl_estimator);
    metrics["kl"] = token_mean_metric(kl, mask);
    if (o.kl_coef > 0) loss = loss + o.kl_coef * aggregate_loss(kl, mask, aggregation, o.max_length, o.normalizers);
  }
  if (in.entropy.defined()) {
    metrics["entropy"] = token_mean_metric(in.entropy, mask);
    if (o.entropy_coef > 0)
      loss = loss - o.entropy_coef * aggregate_loss(in.entropy, mask, Aggregation::token_mean, 0, o.normalizers);
  } else if (o.entropy_coef > 0) {
    throw std::invalid_argument("policy loss: entropy_coef > 0 needs the per-token entropy");
  }
  return {loss, std::move(metrics)};
}

// ppo_clip: l = -min(r A, clip(r, 1-eps_low, 1+eps_high) A); dual clip for A < 0: l = min(l, -c A).
// Source: PPO (Schulman et al. 2017); dual clip: Ye et al. 2020 (verl compute_policy_loss_vanilla).
PolicyLossOutput clipped_surrogate(const PolicyLossInputs& in, const PolicyLossOptions& o, double default_low,
                                   double default_high, const char* who) {
  check_inputs(in, who);
  const double eps_low = o.eps_low.value_or(default_low), eps_high = o.eps_high.value_or(default_high);
  auto mask = float_mask(in);
  auto ratio = at::exp(clamped_log_ratio(in, o));
  auto A = in.advantages.detach().to(in.logp.scalar_type());
  auto unclipped = -A * ratio;
  auto clipped = -A * at::clamp(ratio, 1 - eps_low, 1 + eps_high);
  auto per_token = at::maximum(unclipped, clipped);
  if (o.dual_clip) per_token = at::where(A < 0, at::minimum(per_token, -o.dual_clip_c * A), per_token);
  auto aggregation = o.aggregation.value_or(Aggregation::token_mean);
  std::map<std::string, double> metrics = {
      {"clip_ratio/low", token_mean_metric(((ratio < 1 - eps_low) & (A < 0)).to(at::kDouble), mask)},
      {"clip_ratio/high", token_mean_metric(((ratio > 1 + eps_high) & (A > 0)).to(at::kDouble), mask)},
  };
  if (o.dual_clip)
    metrics["clip_ratio/dual"] = token_mean_metric(((-A * ratio > -o.dual_clip_c * A) & (A < 0)).to(at::kDouble), mask);
  return finish(aggregate_loss(per_token, mask, aggregation, o.max_length, o.normalizers), std::move(metrics), in, o,
                aggregation);
}

// ppo_clip: l = -min(r A, clip(r, 1-eps_low, 1+eps_high) A), optional dual clip l = min(l, -c A) for A < 0.
// Source: PPO (Schulman et al. 2017); defaults eps_low = eps_high = 0.2, token-mean.
PolicyLossOutput ppo_clip_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  return clipped_surrogate(in, o, 0.2, 0.2, "ppo_clip");
}

// dapo: ppo_clip with clip-higher (eps_low 0.2, eps_high 0.28) and token-mean aggregation.
// Source: DAPO (Yu et al. 2025); dynamic sampling and overlong shaping are in reward_transforms.h.
PolicyLossOutput dapo_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  return clipped_surrogate(in, o, 0.2, 0.28, "dapo");
}

// gspo: s_i = exp(mean_t log r_{i,t}); l_i = -min(s_i A_i, clip(s_i, 1-3e-4, 1+4e-4) A_i), seq-mean-token-mean.
// Source: GSPO (Zheng et al. 2025); same code path as TRL importance_sampling_level="sequence".
PolicyLossOutput gspo_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  check_inputs(in, "gspo");
  const double eps_low = o.eps_low.value_or(3e-4), eps_high = o.eps_high.value_or(4e-4);
  auto mask = float_mask(in);
  auto seq_log_ratio = (clamped_log_ratio(in, o) * mask).sum(-1, true) / mask.sum(-1, true).clamp_min(1.0);  // (B, 1)
  auto ratio = at::exp(seq_log_ratio);                                                                       // (B, 1)
  auto A = in.advantages.detach().to(in.logp.scalar_type());
  auto per_token = at::maximum(-A * ratio, -A * at::clamp(ratio, 1 - eps_low, 1 + eps_high));  // (B, T)
  auto aggregation = o.aggregation.value_or(Aggregation::seq_mean_token_mean);
  // Clip fractions over sequences (as TRL for importance_sampling_level="sequence").
  auto seq_A = (A * mask).sum(-1, true);  // (B, 1), its sign is the response's advantage sign
  std::map<std::string, double> metrics = {
      {"clip_ratio/low", ((ratio < 1 - eps_low) & (seq_A < 0)).to(at::kDouble).mean().item<double>()},
      {"clip_ratio/high", ((ratio > 1 + eps_high) & (seq_A > 0)).to(at::kDouble).mean().item<double>()},
  };
  return finish(aggregate_loss(per_token, mask, aggregation, o.max_length, o.normalizers), std::move(metrics), in, o,
                aggregation);
}

// REINFORCE with a stop-gradient IS weight: l = -sg(w) A log pi_theta, w = clip(r, lower, upper) per token.
PolicyLossOutput weighted_reinforce(const PolicyLossInputs& in, const PolicyLossOptions& o, const at::Tensor& lower,
                                    const at::Tensor& upper) {
  auto mask = float_mask(in);
  auto ratio = at::exp(clamped_log_ratio(in, o)).detach();
  auto weight = at::minimum(at::maximum(ratio, lower), upper);
  auto A = in.advantages.detach().to(in.logp.scalar_type());
  auto per_token = -weight * A * in.logp;
  auto aggregation = o.aggregation.value_or(Aggregation::token_mean);
  std::map<std::string, double> metrics = {
      {"clip_ratio/low", token_mean_metric((ratio < lower).to(at::kDouble) * (A != 0).to(at::kDouble), mask)},
      {"clip_ratio/high", token_mean_metric((ratio > upper).to(at::kDouble) * (A != 0).to(at::kDouble), mask)},
  };
  return finish(aggregate_loss(per_token, mask, aggregation, o.max_length, o.normalizers), std::move(metrics), in, o,
                aggregation);
}

// cispo: l = -sg(clip(r, 1-eps_low, 1+eps_high)) A log pi_theta; eps_low unbounded, eps_high 0.28 (unconfirmed), token-mean.
// Source: MiniMax-M1 (2025), CISPO.
PolicyLossOutput cispo_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  check_inputs(in, "cispo");
  const double eps_low = o.eps_low.value_or(kInfinity), eps_high = o.eps_high.value_or(0.28);
  auto opts = in.logp.options().requires_grad(false);
  return weighted_reinforce(in, o, at::full_like(in.logp, 1 - eps_low, opts), at::full_like(in.logp, 1 + eps_high, opts));
}

// dispo: l = -sg(w) A log pi_theta, w = clip(r, 1-eps_pos_low, 1+eps_pos_high) for A > 0 and
// clip(r, 1-eps_neg_low, 1+eps_neg_high) for A < 0. Source: DISPO (2026); defaults 0.2/10/1/100 unconfirmed.
PolicyLossOutput dispo_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  check_inputs(in, "dispo");
  auto A = in.advantages.detach();
  auto opts = in.logp.options().requires_grad(false);
  auto positive = A > 0;
  auto lower = at::where(positive, at::full_like(in.logp, 1 - o.eps_pos_low, opts),
                         at::full_like(in.logp, 1 - o.eps_neg_low, opts));
  auto upper = at::where(positive, at::full_like(in.logp, 1 + o.eps_pos_high, opts),
                         at::full_like(in.logp, 1 + o.eps_neg_high, opts));
  return weighted_reinforce(in, o, lower, upper);
}

// real: s_i = mean_t log(pi_theta/pi_old); per prompt with both outcomes, L = log(1 + sum_{R=1} exp(-s_i/tau))
// + log(1 + sum_{R=0} exp(s_i/tau)) (the 1s are anchor logits); mean over such prompts. Source: Rewards as Labels (REAL).
PolicyLossOutput real_loss(const PolicyLossInputs& in, const PolicyLossOptions& o) {
  check_inputs(in, "real");
  const int64_t B = in.logp.size(0);
  if (!in.rewards.defined() || in.rewards.dim() != 1 || in.rewards.size(0) != B)
    throw std::invalid_argument("policy loss/real: rewards must be (B,)");
  if (!in.group_ids.defined() || in.group_ids.dim() != 1 || in.group_ids.size(0) != B)
    throw std::invalid_argument("policy loss/real: group_ids must be (B,)");
  auto mask = float_mask(in);
  auto score = (clamped_log_ratio(in, o) * mask).sum(-1) / mask.sum(-1).clamp_min(1.0);  // (B,)
  auto labels_t = (in.rewards.to(at::kCPU).to(at::kDouble) >= o.real_label_threshold).to(at::kLong).contiguous();
  auto gid_t = in.group_ids.to(at::kCPU).to(at::kLong).contiguous();
  auto labels = labels_t.accessor<int64_t, 1>();
  auto gid = gid_t.accessor<int64_t, 1>();
  std::map<int64_t, std::pair<std::vector<int64_t>, std::vector<int64_t>>> groups;  // id -> (positives, negatives)
  for (int64_t i = 0; i < B; ++i) (labels[i] ? groups[gid[i]].first : groups[gid[i]].second).push_back(i);
  std::vector<at::Tensor> group_losses;
  auto anchor = at::zeros({1}, score.options().requires_grad(false));
  auto index = [&](const std::vector<int64_t>& rows) {
    return at::tensor(rows, at::TensorOptions().dtype(at::kLong)).to(score.device());
  };
  for (auto& [id, sides] : groups) {
    if (sides.first.empty() || sides.second.empty()) continue;
    auto pos = score.index_select(0, index(sides.first));
    auto neg = score.index_select(0, index(sides.second));
    group_losses.push_back(at::logsumexp(at::cat({anchor, -pos / o.real_tau}), 0) +
                           at::logsumexp(at::cat({anchor, neg / o.real_tau}), 0));
  }
  const double num_groups = static_cast<double>(groups.size());
  at::Tensor loss = group_losses.empty() ? (score * 0).sum() : at::stack(group_losses).mean();
  std::map<std::string, double> metrics = {
      {"real/frac_groups_used", num_groups > 0 ? static_cast<double>(group_losses.size()) / num_groups : 0.0},
      {"clip_ratio/low", 0.0},
      {"clip_ratio/high", 0.0},
  };
  return finish(loss, std::move(metrics), in, o, o.aggregation.value_or(Aggregation::token_mean));
}

}  // namespace

Aggregation parse_aggregation(const std::string& name) {
  if (name == "token-mean") return Aggregation::token_mean;
  if (name == "seq-mean-token-sum") return Aggregation::seq_mean_token_sum;
  if (name == "seq-mean-token-mean") return Aggregation::seq_mean_token_mean;
  if (name == "seq-mean-token-sum-norm") return Aggregation::seq_mean_token_sum_norm;
  throw ConfigError("loss aggregation '" + name +
                    "' is not one of token-mean, seq-mean-token-sum, seq-mean-token-mean, seq-mean-token-sum-norm");
}

std::string to_string(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::token_mean: return "token-mean";
    case Aggregation::seq_mean_token_sum: return "seq-mean-token-sum";
    case Aggregation::seq_mean_token_mean: return "seq-mean-token-mean";
    case Aggregation::seq_mean_token_sum_norm: return "seq-mean-token-sum-norm";
  }
  return "?";
}

KlEstimator parse_kl_estimator(const std::string& name) {
  if (name == "k1") return KlEstimator::k1;
  if (name == "k2") return KlEstimator::k2;
  if (name == "k3") return KlEstimator::k3;
  throw ConfigError("KL estimator '" + name + "' is not one of k1, k2, k3");
}

at::Tensor aggregate_loss(const at::Tensor& per_token_loss, const at::Tensor& mask, Aggregation aggregation,
                          int64_t max_length, const Normalizers& normalizers) {
  auto m = mask.to(per_token_loss.scalar_type());
  auto masked = per_token_loss * m;
  const double sequences = normalizers.sequences > 0 ? normalizers.sequences : static_cast<double>(per_token_loss.size(0));
  switch (aggregation) {
    case Aggregation::token_mean: {
      if (normalizers.tokens > 0) return masked.sum() / normalizers.tokens;
      return masked.sum() / m.sum().clamp_min(1.0);
    }
    case Aggregation::seq_mean_token_sum:
      return masked.sum() / sequences;
    case Aggregation::seq_mean_token_mean:
      return (masked.sum(-1) / m.sum(-1).clamp_min(1.0)).sum() / sequences;
    case Aggregation::seq_mean_token_sum_norm: {
      const double length = max_length > 0 ? static_cast<double>(max_length) : static_cast<double>(per_token_loss.size(1));
      return masked.sum() / (sequences * length);
    }
  }
  throw std::invalid_argument("aggregate_loss: unknown aggregation");
}

at::Tensor kl_penalty(const at::Tensor& logp, const at::Tensor& ref_logp, KlEstimator estimator) {
  auto delta = at::clamp(ref_logp.detach() - logp, -20.0, 20.0);
  switch (estimator) {
    case KlEstimator::k1: return -delta;
    case KlEstimator::k2: return delta * delta / 2;
    case KlEstimator::k3: return at::clamp(at::exp(delta) - delta - 1, -10.0, 10.0);
  }
  throw std::invalid_argument("kl_penalty: unknown estimator");
}

at::Tensor rewards_minus_kl(const at::Tensor& rewards, const at::Tensor& logp, const at::Tensor& ref_logp,
                            const at::Tensor& mask, KlEstimator estimator, double coef) {
  auto kl = kl_penalty(logp.detach(), ref_logp, estimator) * mask.to(logp.scalar_type());
  return rewards - coef * kl.sum(-1).to(rewards.scalar_type());
}

const std::map<std::string, PolicyLossFn>& policy_loss_registry() {
  static const std::map<std::string, PolicyLossFn> registry = {
      {"ppo_clip", ppo_clip_loss}, {"dapo", dapo_loss},   {"gspo", gspo_loss},
      {"cispo", cispo_loss},       {"dispo", dispo_loss}, {"real", real_loss},
  };
  return registry;
}

std::vector<std::string> policy_loss_names() {
  std::vector<std::string> names;
  for (auto& [name, fn] : policy_loss_registry()) names.push_back(name);
  return names;
}

Aggregation default_aggregation(const std::string& loss_name) {
  return loss_name == "gspo" ? Aggregation::seq_mean_token_mean : Aggregation::token_mean;
}

PolicyLossOutput compute_policy_loss(const std::string& name, const PolicyLossInputs& inputs,
                                     const PolicyLossOptions& options) {
  auto& registry = policy_loss_registry();
  auto it = registry.find(name);
  if (it == registry.end()) {
    std::string known;
    for (auto& n : policy_loss_names()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("policy loss '" + name + "' is unknown (known: " + known + ")");
  }
  return it->second(inputs, options);
}

}  // namespace retort::rl
