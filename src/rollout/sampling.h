// Next-token sampling from a batch of logits: temperature, then top-k, top-p, min-p (the order of
// Hugging Face's logits warpers), drawn with a caller-seeded generator.
//
// Log-probs returned per token:
//   logprob            - under the distribution actually sampled from: softmax(logits / temperature)
//                        restricted to the tokens top-k/top-p/min-p kept, renormalised. (Greedy,
//                        temperature 0: equal to logprob_untempered.)
//   logprob_untempered - log_softmax(logits) at temperature 1 without truncation: the policy's own
//                        log-prob, what the trainer recomputes.
#pragma once
#include <cstdint>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

namespace retort::rollout {

struct SamplingParams {
  double temperature = 1.0;  // 0 = greedy (argmax; the first maximum on ties)
  int64_t top_k = 0;         // 0 = off
  double top_p = 1.0;        // 1 = off; keep the smallest set of top tokens with mass >= top_p
  double min_p = 0.0;        // 0 = off; drop tokens with prob < min_p * max prob
};

// Throws ConfigError on out-of-range values (negative temperature, top_p outside (0, 1], ...).
void validate(const SamplingParams& params);

struct SampledTokens {
  at::Tensor tokens;               // (B,) int64
  at::Tensor logprobs;             // (B,) fp32, see above
  at::Tensor logprobs_untempered;  // (B,) fp32
};

// logits (B, V) any float dtype/device -> one token per row.
SampledTokens sample_tokens(const at::Tensor& logits, const SamplingParams& params, at::Generator& generator);

// The truncated, tempered logits (B, V) fp32 with -inf outside the kept set: the distribution
// sample_tokens draws from (a plain reference for tests; sample_tokens works on top-k candidates).
at::Tensor filtered_logits(const at::Tensor& logits, const SamplingParams& params);

}  // namespace retort::rollout
