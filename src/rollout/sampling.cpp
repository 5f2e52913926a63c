// Temperature / top-k / top-p / min-p sampling (see sampling.h).
#include "rollout/sampling.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#include "core/errors.h"

namespace retort::rollout {

void validate(const SamplingParams& p) {
  if (!(p.temperature >= 0) || !std::isfinite(p.temperature))
    throw ConfigError("sampling: temperature must be >= 0, got " + std::to_string(p.temperature));
  if (p.top_k < 0) throw ConfigError("sampling: top_k must be >= 0, got " + std::to_string(p.top_k));
  if (!(p.top_p > 0 && p.top_p <= 1)) throw ConfigError("sampling: top_p must be in (0, 1], got " + std::to_string(p.top_p));
  if (!(p.min_p >= 0 && p.min_p <= 1)) throw ConfigError("sampling: min_p must be in [0, 1], got " + std::to_string(p.min_p));
}

namespace {

const double kNegInf = -std::numeric_limits<double>::infinity();

// values (B, K) sorted descending (already tempered): applies top-p and min-p in place (as HF:
// top-p keeps tokens whose preceding cumulative mass is < top_p, so at least one survives).
void truncate_sorted(at::Tensor& values, const SamplingParams& p) {
  if (p.top_p < 1.0) {
    at::Tensor probs = values.softmax(-1);
    at::Tensor mass_before = probs.cumsum(-1) - probs;
    values.masked_fill_(mass_before.ge(p.top_p), kNegInf);
  }
  if (p.min_p > 0.0) {
    at::Tensor probs = values.softmax(-1);
    at::Tensor threshold = probs.narrow(-1, 0, 1) * p.min_p;  // the first is the largest
    values.masked_fill_(probs.lt(threshold), kNegInf);
  }
}

}  // namespace

at::Tensor filtered_logits(const at::Tensor& logits, const SamplingParams& p) {
  at::Tensor scaled = logits.to(at::kFloat) / (p.temperature > 0 ? p.temperature : 1.0);
  const int64_t V = scaled.size(-1);
  if (p.top_k > 0 && p.top_k < V) {
    at::Tensor kth = std::get<0>(scaled.topk(p.top_k, -1)).narrow(-1, p.top_k - 1, 1);
    scaled = scaled.masked_fill(scaled.lt(kth), kNegInf);
  }
  auto [sorted, order] = scaled.sort(-1, /*descending=*/true);
  truncate_sorted(sorted, p);
  return at::full_like(scaled, kNegInf).scatter(-1, order, sorted);
}

SampledTokens sample_tokens(const at::Tensor& logits_in, const SamplingParams& p, at::Generator& generator) {
  at::Tensor logits = logits_in.to(at::kFloat);  // (B, V)
  SampledTokens out;
  at::Tensor log_normaliser = logits.logsumexp(-1, /*keepdim=*/true);  // (B, 1)
  if (p.temperature == 0) {
    out.tokens = logits.argmax(-1);
    out.logprobs_untempered = (logits.gather(-1, out.tokens.unsqueeze(-1)) - log_normaliser).squeeze(-1);
    out.logprobs = out.logprobs_untempered;
    return out;
  }
  const int64_t V = logits.size(-1);
  at::Tensor scaled = logits / p.temperature;
  // Work on candidates sorted by value: the top-k of them, or the whole vocabulary when top-p or
  // min-p need an order without top-k, or none (plain softmax) when nothing truncates.
  at::Tensor candidates, candidate_ids;  // (B, K), (B, K)
  if (p.top_k > 0 && p.top_k < V) {
    std::tie(candidates, candidate_ids) = scaled.topk(p.top_k, -1);
  } else if (p.top_p < 1.0 || p.min_p > 0.0) {
    std::tie(candidates, candidate_ids) = scaled.sort(-1, /*descending=*/true);
  } else {
    candidates = scaled;
  }
  truncate_sorted(candidates, p);
  at::Tensor log_probs = candidates.log_softmax(-1);  // (B, K): the sampled-from distribution
  at::Tensor choice = at::multinomial(log_probs.exp(), 1, /*replacement=*/false, generator);  // (B, 1)
  out.logprobs = log_probs.gather(-1, choice).squeeze(-1);
  out.tokens = candidate_ids.defined() ? candidate_ids.gather(-1, choice).squeeze(-1) : choice.squeeze(-1);
  out.logprobs_untempered = (logits.gather(-1, out.tokens.unsqueeze(-1)) - log_normaliser).squeeze(-1);
  return out;
}

}  // namespace retort::rollout
