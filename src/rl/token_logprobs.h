// Per-token log-probs and entropies of whole sequences under a policy (the trainer's forward pass):
// sequences are right-padded into one batch, run once, and logp[b, t] = log pi(ids[b, t] | ids[b, <t]).
// Two paths with one result: fused (the default) feeds the hidden states and the LM head weight to
// kernels::fused_logprob, which never holds the (B, T, V) logits; plain runs log_softmax over them.
// The environment variable RETORT_LOGPROB_PATH=plain|fused picks the default.
#pragma once
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "chem/image.h"
#include "model/policy.h"

namespace retort::rl {

struct SequenceBatch {
  at::Tensor input_ids;       // (B, T) int64, right-padded with pad_id
  at::Tensor attention_mask;  // (B, T) int64, 1 = real token
  at::Tensor loss_mask;       // (B, T) float, 1 where the token was produced by the policy (a target)
  std::vector<chem::Image> images;  // every row's images, row order (fill the <|image|> placeholders)
};

// IDS[i] and MASKS[i] (same length, mask 1 = policy token) -> one padded batch on DEVICE.
SequenceBatch pack_sequences(const std::vector<std::vector<int64_t>>& ids, const std::vector<std::vector<float>>& masks,
                             const std::vector<std::vector<chem::Image>>& images, int64_t pad_id, at::Device device);

struct TokenLogprobs {
  at::Tensor logp;     // (B, T) fp32; column 0 is 0 (no prediction for the first token)
  at::Tensor entropy;  // (B, T) fp32, entropy of the distribution that predicted token t; undefined if not asked
};

enum class LogprobPath { fused, plain };

// RETORT_LOGPROB_PATH ("fused" when unset); ConfigError on any other value.
LogprobPath default_logprob_path();

// Differentiable w.r.t. the policy's weights unless called under a no-grad guard.
TokenLogprobs token_logprobs(const model::Policy& policy, const SequenceBatch& batch, bool with_entropy,
                             LogprobPath path = default_logprob_path());

}  // namespace retort::rl
