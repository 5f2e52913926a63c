// Advantage estimators (grpo, drgrpo, rloo, reinforce_pp, tempo, canon) and their registry.
// Each estimator is one function below with its formula and source in the two comment lines above it.
#include "rl/advantages.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/errors.h"

namespace retort::rl {
namespace {

// Per-response view of its group's statistics, all (B,) float64.
struct GroupStats {
  at::Tensor mean;   // mean_G R of the response's group
  at::Tensor std;    // unbiased std_G R (0 for a group of one)
  at::Tensor count;  // G of the response's group
};

void check_inputs(const AdvantageInputs& in, const char* who) {
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument(std::string("advantages/") + who + ": " + what);
  };
  if (!in.rewards.defined() || in.rewards.dim() != 1) fail("rewards must be (B,)");
  const int64_t B = in.rewards.size(0);
  if (!in.group_ids.defined() || in.group_ids.dim() != 1 || in.group_ids.size(0) != B)
    fail("group_ids must be (B,) with B = " + std::to_string(B));
  if (!in.response_mask.defined() || in.response_mask.dim() != 2 || in.response_mask.size(0) != B)
    fail("response_mask must be (B, T) with B = " + std::to_string(B));
  if (!at::isfinite(in.rewards).all().item<bool>()) fail("rewards contain NaN or Inf");
}

GroupStats group_stats(const at::Tensor& rewards64, const at::Tensor& group_ids) {
  auto [unique, inverse] = at::_unique(group_ids.to(at::kLong), /*sorted=*/true, /*return_inverse=*/true);
  const int64_t num_groups = unique.size(0);
  auto opts = rewards64.options();
  auto sums = at::zeros({num_groups}, opts).index_add_(0, inverse, rewards64);
  auto counts = at::zeros({num_groups}, opts).index_add_(0, inverse, at::ones_like(rewards64));
  auto means = sums / counts;
  auto centred = rewards64 - means.index_select(0, inverse);
  auto sq = at::zeros({num_groups}, opts).index_add_(0, inverse, centred * centred);
  auto var = at::where(counts > 1, sq / (counts - 1).clamp_min(1), at::zeros_like(sq));
  return {means.index_select(0, inverse), var.sqrt().index_select(0, inverse), counts.index_select(0, inverse)};
}

// Divides a centred (B,) reward by the scale SCALING names.
at::Tensor apply_scaling(const at::Tensor& centred, const at::Tensor& rewards64, const GroupStats& g,
                         RewardScaling scaling, double eps) {
  switch (scaling) {
    case RewardScaling::group:
      return centred / (g.std + eps);
    case RewardScaling::batch: {
      double batch_std = rewards64.size(0) > 1 ? rewards64.std(/*unbiased=*/true).item<double>() : 0.0;
      return centred / (batch_std + eps);
    }
    case RewardScaling::none:
      return centred;
  }
  return centred;
}

// (B,) per-response values -> (B, T) token advantages on the response mask, in the rewards' dtype.
at::Tensor broadcast_to_tokens(const at::Tensor& per_response, const AdvantageInputs& in) {
  auto mask = in.response_mask.to(at::kDouble);
  return (per_response.unsqueeze(1) * mask).to(in.rewards.scalar_type());
}

// grpo: A_i = (R_i - mean_G R) / (std_G R + eps), unbiased std, a group of one gets 0; all tokens of o_i.
// Source: DeepSeekMath (Shao et al. 2024), GRPO; verl core_algos compute_grpo_outcome_advantage.
at::Tensor grpo_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "grpo");
  auto r = in.rewards.to(at::kDouble);
  auto g = group_stats(r, in.group_ids);
  auto a = apply_scaling(r - g.mean, r, g, o.scaling.value_or(RewardScaling::group), o.eps);
  a = at::where(g.count > 1, a, at::zeros_like(a));
  return broadcast_to_tokens(a, in);
}

// drgrpo: A_i = R_i - mean_G R (no std); pair with the seq-mean-token-sum-norm aggregation.
// Source: "Understanding R1-Zero-Like Training" (Liu et al. 2025), Dr. GRPO.
at::Tensor drgrpo_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "drgrpo");
  auto r = in.rewards.to(at::kDouble);
  auto g = group_stats(r, in.group_ids);
  auto a = apply_scaling(r - g.mean, r, g, o.scaling.value_or(RewardScaling::none), o.eps);
  return broadcast_to_tokens(a, in);
}

// rloo: A_i = R_i - mean_{j != i} R_j = (R_i - mean_G R) * G / (G - 1); a group of one gets 0.
// Source: "Back to Basics: Revisiting REINFORCE Style Optimization" (Ahmadian et al. 2024), RLOO.
at::Tensor rloo_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "rloo");
  auto r = in.rewards.to(at::kDouble);
  auto g = group_stats(r, in.group_ids);
  auto loo = at::where(g.count > 1, (r - g.mean) * g.count / (g.count - 1).clamp_min(1), at::zeros_like(r));
  auto a = apply_scaling(loo, r, g, o.scaling.value_or(RewardScaling::none), o.eps);
  return broadcast_to_tokens(a, in);
}

// reinforce_pp: A = R_i - mean_G R, then whitened over the whole batch's response tokens:
// (A - mean_tok) / (std_tok + eps), token-weighted, unbiased. Source: REINFORCE++ (Hu 2025); verl
// compute_reinforce_plus_plus_baseline_outcome_advantage (group baseline + masked_whiten).
at::Tensor reinforce_pp_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "reinforce_pp");
  auto r = in.rewards.to(at::kDouble);
  auto g = group_stats(r, in.group_ids);
  auto centred = r - g.mean;
  auto scaling = o.scaling.value_or(RewardScaling::batch);
  if (scaling != RewardScaling::batch) return broadcast_to_tokens(apply_scaling(centred, r, g, scaling, o.eps), in);
  auto mask = in.response_mask.to(at::kDouble);
  auto tokens = centred.unsqueeze(1).expand_as(mask);
  const double n = mask.sum().item<double>();
  if (n < 2) return at::zeros_like(mask).to(in.rewards.scalar_type());
  auto mean = (tokens * mask).sum() / n;
  auto var = ((tokens - mean).pow(2) * mask).sum() / (n - 1);
  return ((tokens - mean) / (var.sqrt() + o.eps) * mask).to(in.rewards.scalar_type());
}

// tempo: A_{i,t} = (R_i - mean_G R + V(s_{t+1}) - V(s_t)) / (std_G R + eps), V(s) = mean reward of the
// group's responses starting with prefix s. Source: "Exploiting Tree Structure for Credit Assignment" (TEMPO/P2T).
at::Tensor tempo_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "tempo");
  const int64_t B = in.rewards.size(0), T = in.response_mask.size(1);
  if (!in.token_ids.defined() || in.token_ids.sizes() != in.response_mask.sizes())
    throw std::invalid_argument("advantages/tempo: token_ids must be (B, T) like response_mask");
  auto valid_t = (in.valid_mask.defined() ? in.valid_mask : in.response_mask).to(at::kCPU).to(at::kLong).contiguous();
  auto loss_t = in.response_mask.to(at::kCPU).to(at::kLong).contiguous();
  auto ids_t = in.token_ids.to(at::kCPU).to(at::kLong).contiguous();
  auto r = in.rewards.to(at::kCPU).to(at::kDouble);
  auto g = group_stats(r, in.group_ids.to(at::kCPU));
  auto scaling = o.scaling.value_or(RewardScaling::group);
  // Divisor per response: the scaling's std + eps (1 for none).
  at::Tensor divisor = at::ones_like(r);
  if (scaling == RewardScaling::group) divisor = g.std + o.eps;
  if (scaling == RewardScaling::batch) divisor = at::full_like(r, (B > 1 ? r.std(true).item<double>() : 0.0) + o.eps);

  auto ids = ids_t.accessor<int64_t, 2>();
  auto valid = valid_t.accessor<int64_t, 2>();
  auto lmask = loss_t.accessor<int64_t, 2>();
  auto rw = r.accessor<double, 1>();
  auto mean = g.mean.accessor<double, 1>();
  auto count = g.count.accessor<double, 1>();
  auto div = divisor.accessor<double, 1>();
  auto gid_t = in.group_ids.to(at::kCPU).to(at::kLong).contiguous();
  auto gid = gid_t.accessor<int64_t, 1>();

  auto out = at::zeros({B, T}, at::kDouble);
  auto acc = out.accessor<double, 2>();
  // One prefix tree per group: node 0 is the empty prefix; children keyed by (parent, token).
  std::map<int64_t, std::vector<int64_t>> members;
  for (int64_t i = 0; i < B; ++i) members[gid[i]].push_back(i);
  for (auto& [group, rows] : members) {
    if (rows.size() < 2) continue;  // a group of one has A = 0
    std::map<std::pair<int64_t, int64_t>, int64_t> children;
    std::vector<double> sum{0.0};
    std::vector<double> n{0.0};
    std::vector<std::vector<int64_t>> paths(rows.size());  // node after each valid token
    for (size_t k = 0; k < rows.size(); ++k) {
      const int64_t i = rows[k];
      int64_t node = 0;
      sum[0] += rw[i];
      n[0] += 1;
      paths[k].push_back(0);
      for (int64_t t = 0; t < T; ++t) {
        if (!valid[i][t]) continue;
        auto key = std::make_pair(node, ids[i][t]);
        auto it = children.find(key);
        if (it == children.end()) {
          it = children.emplace(key, static_cast<int64_t>(sum.size())).first;
          sum.push_back(0.0);
          n.push_back(0.0);
        }
        node = it->second;
        sum[node] += rw[i];
        n[node] += 1;
        paths[k].push_back(node);
      }
    }
    auto value = [&](int64_t node) { return sum[node] / n[node]; };
    for (size_t k = 0; k < rows.size(); ++k) {
      const int64_t i = rows[k];
      if (count[i] < 2) continue;
      size_t depth = 0;  // number of valid tokens seen before position t
      for (int64_t t = 0; t < T; ++t) {
        if (!valid[i][t]) continue;
        const double td = value(paths[k][depth + 1]) - value(paths[k][depth]);
        if (lmask[i][t]) acc[i][t] = (rw[i] - mean[i] + td) / div[i];
        ++depth;
      }
    }
  }
  return out.to(in.rewards.device()).to(in.rewards.scalar_type());
}

// canon: split each group at the median of a metric into halves H (higher) and L; for i in H
// A = mu (R_i - alpha m_L) + (1 - mu)(R_i - m_H), for i in L A = mu (alpha R_i - m_H) + (1 - mu)(R_i - m_L). Source: CANON.
at::Tensor canon_advantages(const AdvantageInputs& in, const AdvantageOptions& o) {
  check_inputs(in, "canon");
  const int64_t B = in.rewards.size(0);
  if (!in.metric.defined() || in.metric.dim() != 1 || in.metric.size(0) != B)
    throw std::invalid_argument("advantages/canon: metric must be (B,)");
  auto r_t = in.rewards.to(at::kCPU).to(at::kDouble).contiguous();
  auto m_t = in.metric.to(at::kCPU).to(at::kDouble).contiguous();
  auto gid_t = in.group_ids.to(at::kCPU).to(at::kLong).contiguous();
  auto r = r_t.accessor<double, 1>();
  auto metric = m_t.accessor<double, 1>();
  auto gid = gid_t.accessor<int64_t, 1>();
  auto a = at::zeros({B}, at::kDouble);
  auto acc = a.accessor<double, 1>();
  std::map<int64_t, std::vector<int64_t>> members;
  for (int64_t i = 0; i < B; ++i) members[gid[i]].push_back(i);
  const double alpha = o.canon_alpha, mu = o.canon_mu;
  for (auto& [group, rows] : members) {
    if (rows.size() < 2) continue;
    // H = the floor(G/2) responses with the highest metric (ties: the later index is higher).
    std::vector<int64_t> order = rows;
    std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return metric[x] < metric[y]; });
    const size_t num_low = order.size() - order.size() / 2;
    double m_low = 0, m_high = 0;
    for (size_t k = 0; k < order.size(); ++k) (k < num_low ? m_low : m_high) += r[order[k]];
    m_low /= static_cast<double>(num_low);
    m_high /= static_cast<double>(order.size() - num_low);
    for (size_t k = 0; k < order.size(); ++k) {
      const int64_t i = order[k];
      acc[i] = k >= num_low ? mu * (r[i] - alpha * m_low) + (1 - mu) * (r[i] - m_high)
                            : mu * (alpha * r[i] - m_high) + (1 - mu) * (r[i] - m_low);
    }
  }
  auto rr = r_t;
  auto g = group_stats(rr, gid_t);
  a = apply_scaling(a, rr, g, o.scaling.value_or(RewardScaling::none), o.eps);
  return broadcast_to_tokens(a.to(in.rewards.device()), in);
}

}  // namespace

RewardScaling parse_reward_scaling(const std::string& name) {
  if (name == "group") return RewardScaling::group;
  if (name == "batch") return RewardScaling::batch;
  if (name == "none") return RewardScaling::none;
  throw ConfigError("reward scaling '" + name + "' is not one of group, batch, none");
}

std::string to_string(RewardScaling scaling) {
  switch (scaling) {
    case RewardScaling::group: return "group";
    case RewardScaling::batch: return "batch";
    case RewardScaling::none: return "none";
  }
  return "?";
}

const std::map<std::string, AdvantageFn>& advantage_registry() {
  static const std::map<std::string, AdvantageFn> registry = {
      {"grpo", grpo_advantages},       {"drgrpo", drgrpo_advantages},
      {"rloo", rloo_advantages},       {"reinforce_pp", reinforce_pp_advantages},
      {"tempo", tempo_advantages},     {"canon", canon_advantages},
  };
  return registry;
}

std::vector<std::string> advantage_names() {
  std::vector<std::string> names;
  for (auto& [name, fn] : advantage_registry()) names.push_back(name);
  return names;
}

at::Tensor compute_advantages(const std::string& name, const AdvantageInputs& inputs, const AdvantageOptions& options) {
  auto& registry = advantage_registry();
  auto it = registry.find(name);
  if (it == registry.end()) {
    std::string known;
    for (auto& n : advantage_names()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("advantage estimator '" + name + "' is unknown (known: " + known + ")");
  }
  return it->second(inputs, options);
}

at::Tensor contiguous_group_ids(int64_t batch_size, int64_t group_size) {
  if (group_size < 1 || batch_size % group_size != 0)
    throw std::invalid_argument("contiguous_group_ids: batch size " + std::to_string(batch_size) +
                                " is not a multiple of group size " + std::to_string(group_size));
  return at::arange(batch_size, at::kLong).floor_divide(group_size);
}

}  // namespace retort::rl
