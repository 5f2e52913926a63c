// Policy losses registered by name (ppo_clip, dapo, gspo, cispo, dispo, real), loss aggregation modes,
// the KL penalty (k1/k2/k3) and the entropy bonus. Formulas: ../shared/ALGORITHMS.md.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

namespace retort::rl {

// How per-token losses l (B, T) become one scalar (ALGORITHMS.md "Aggregation").
enum class Aggregation { token_mean, seq_mean_token_sum, seq_mean_token_mean, seq_mean_token_sum_norm };
Aggregation parse_aggregation(const std::string& name);  // "token-mean", "seq-mean-token-sum", ...
std::string to_string(Aggregation aggregation);

enum class KlEstimator { k1, k2, k3 };
KlEstimator parse_kl_estimator(const std::string& name);  // "k1" | "k2" | "k3"

// Normalisers for gradient accumulation: a loss over one micro-batch must be divided by the token /
// sequence counts of the whole (global) batch so that the summed micro-batch gradients equal the
// full-batch gradient. 0 means "this call's own counts".
struct Normalizers {
  double tokens = 0;     // sum of the response mask over the global batch (token-mean)
  double sequences = 0;  // number of sequences in the global batch (seq-mean-*)
};

// sum(l * m) / N, N per AGGREGATION. max_length is L_max for seq-mean-token-sum-norm (0: T).
at::Tensor aggregate_loss(const at::Tensor& per_token_loss, const at::Tensor& mask, Aggregation aggregation,
                          int64_t max_length = 0, const Normalizers& normalizers = {});

// delta = clamp(ref_logp - logp, -20, 20); k1 = -delta; k2 = delta^2 / 2; k3 = clamp(exp(delta) - delta - 1, -10, 10).
// (B, T), differentiable w.r.t. logp. Source: Schulman, "Approximating KL divergence" (2020); verl kl_penalty.
at::Tensor kl_penalty(const at::Tensor& logp, const at::Tensor& ref_logp, KlEstimator estimator);

// KL in the reward: R_i - coef * sum_t kl_t m_t, (B,) (no gradient; logp are the sampler's log-probs).
at::Tensor rewards_minus_kl(const at::Tensor& rewards, const at::Tensor& logp, const at::Tensor& ref_logp,
                            const at::Tensor& mask, KlEstimator estimator, double coef);

struct PolicyLossInputs {
  at::Tensor logp;        // (B, T) log pi_theta(token), requires grad
  at::Tensor old_logp;    // (B, T) log pi_old(token) (sampler or recomputed), no grad
  at::Tensor advantages;  // (B, T), from compute_advantages
  at::Tensor mask;        // (B, T) 0/1 loss mask
  at::Tensor ref_logp;    // (B, T) optional: log pi_ref, needed when kl_coef > 0
  at::Tensor entropy;     // (B, T) optional: per-token entropy; the bonus acts only if it carries grad (not detached)
  // `real` only: labels and prompts. Every group must sit whole in one call (micro-batch); its loss is the
  // mean over that call's groups with both outcomes (normalizers do not apply).
  at::Tensor rewards;     // (B,)
  at::Tensor group_ids;   // (B,)
};

struct PolicyLossOptions {
  // Clip bounds; unset -> the loss's default (ppo_clip 0.2/0.2, dapo 0.2/0.28, gspo 3e-4/4e-4,
  // cispo no lower bound/0.28).
  std::optional<double> eps_low, eps_high;
  bool dual_clip = false;    // ppo_clip/dapo: for A < 0, l = min(l, -c A)
  double dual_clip_c = 3.0;
  // dispo's four bounds (ALGORITHMS.md: secondary-source defaults, unconfirmed).
  double eps_pos_low = 0.2, eps_pos_high = 10.0, eps_neg_low = 1.0, eps_neg_high = 100.0;
  double real_tau = 0.5;               // real: temperature
  double real_label_threshold = 0.5;   // real: R >= threshold is a positive label
  std::optional<Aggregation> aggregation;  // unset -> the loss's default
  int64_t max_length = 0;              // L_max for seq-mean-token-sum-norm (0: T)
  Normalizers normalizers;
  double kl_coef = 0.0;                // > 0: add kl_coef * aggregate(kl) to the loss
  KlEstimator kl_estimator = KlEstimator::k3;
  double entropy_coef = 0.0;           // > 0: subtract entropy_coef * token-mean(entropy)
  double log_ratio_clamp = 20.0;       // ratios are exp(clamp(logp - old_logp, -c, c))
};

struct PolicyLossOutput {
  at::Tensor loss;                        // scalar, differentiable w.r.t. logp
  std::map<std::string, double> metrics;  // clip_ratio/low, clip_ratio/high, kl, entropy, pg_loss, ...
};

using PolicyLossFn = std::function<PolicyLossOutput(const PolicyLossInputs&, const PolicyLossOptions&)>;

// Name -> loss: ppo_clip, dapo, gspo, cispo, dispo, real. Each adds the configured KL and entropy terms.
const std::map<std::string, PolicyLossFn>& policy_loss_registry();
std::vector<std::string> policy_loss_names();
// The aggregation a loss uses when PolicyLossOptions.aggregation is unset (gspo: seq-mean-token-mean,
// the others token-mean); terms added beside the policy loss aggregate the same way.
Aggregation default_aggregation(const std::string& loss_name);
// Throws ConfigError for an unknown name, std::invalid_argument for inconsistent shapes.
PolicyLossOutput compute_policy_loss(const std::string& name, const PolicyLossInputs& inputs,
                                     const PolicyLossOptions& options = {});

}  // namespace retort::rl
