// token_logprobs: embed (images spliced in) -> hidden states -> (fused) LM head + log-softmax + gather.
#include "rl/token_logprobs.h"

#include <ATen/ATen.h>

#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "kernels/fused_logprob.h"

namespace retort::rl {

SequenceBatch pack_sequences(const std::vector<std::vector<int64_t>>& ids, const std::vector<std::vector<float>>& masks,
                             const std::vector<std::vector<chem::Image>>& images, int64_t pad_id, at::Device device) {
  const int64_t batch = static_cast<int64_t>(ids.size());
  int64_t longest = 1;
  for (const auto& row : ids) longest = std::max<int64_t>(longest, row.size());
  at::Tensor input_ids = at::full({batch, longest}, pad_id, at::kLong);
  at::Tensor attention = at::zeros({batch, longest}, at::kLong);
  at::Tensor loss_mask = at::zeros({batch, longest}, at::kFloat);
  auto ids_a = input_ids.accessor<int64_t, 2>();
  auto att_a = attention.accessor<int64_t, 2>();
  auto mask_a = loss_mask.accessor<float, 2>();
  SequenceBatch out;
  for (int64_t b = 0; b < batch; ++b) {
    for (size_t t = 0; t < ids[b].size(); ++t) {
      ids_a[b][t] = ids[b][t];
      att_a[b][t] = 1;
      mask_a[b][t] = masks[b][t];
    }
    if (b < static_cast<int64_t>(images.size()))
      out.images.insert(out.images.end(), images[b].begin(), images[b].end());
  }
  out.input_ids = input_ids.to(device);
  out.attention_mask = attention.to(device);
  out.loss_mask = loss_mask.to(device);
  return out;
}

LogprobPath default_logprob_path() {
  const char* value = std::getenv("RETORT_LOGPROB_PATH");
  if (value == nullptr || std::string(value).empty() || std::string(value) == "fused") return LogprobPath::fused;
  if (std::string(value) == "plain") return LogprobPath::plain;
  throw ConfigError(std::string("RETORT_LOGPROB_PATH must be 'fused' or 'plain', got '") + value + "'");
}

namespace {

// Plain path: the full logits (B, T-1, V) in fp32, log_softmax, gather.
TokenLogprobs plain_token_logprobs(const model::Policy& policy, const at::Tensor& hidden, const at::Tensor& input_ids,
                                   bool with_entropy) {
  const int64_t T = input_ids.size(1);
  at::Tensor logits = policy.decoder().project_logits(hidden.narrow(1, 0, T - 1)).to(at::kFloat);  // (B, T-1, V)
  at::Tensor log_probs = at::log_softmax(logits, -1);                                   // (B, T-1, V)
  at::Tensor targets = input_ids.narrow(1, 1, T - 1).unsqueeze(-1);                     // (B, T-1, 1)
  at::Tensor picked = log_probs.gather(-1, targets).squeeze(-1);                        // (B, T-1)
  TokenLogprobs out;
  out.logp = at::constant_pad_nd(picked, {1, 0}, 0.0);                                  // (B, T)
  if (with_entropy) {
    at::Tensor entropy = -(log_probs.exp() * log_probs).sum(-1);                        // (B, T-1)
    out.entropy = at::constant_pad_nd(entropy, {1, 0}, 0.0);
  }
  return out;
}

// Fused path: (B*(T-1), H) hidden rows and their next tokens through kernels::fused_logprob.
TokenLogprobs fused_token_logprobs(const model::Policy& policy, const at::Tensor& hidden, const at::Tensor& input_ids,
                                   bool with_entropy) {
  const int64_t B = input_ids.size(0), T = input_ids.size(1), H = hidden.size(2);
  at::Tensor rows = hidden.narrow(1, 0, T - 1).reshape({B * (T - 1), H});              // (B*(T-1), H)
  at::Tensor targets = input_ids.narrow(1, 1, T - 1).reshape({B * (T - 1)});            // (B*(T-1),)
  kernels::LogprobsAndEntropy r = kernels::fused_logprob(rows, policy.lm_head_weight(), targets);
  TokenLogprobs out;
  out.logp = at::constant_pad_nd(r.logp.view({B, T - 1}), {1, 0}, 0.0);                // (B, T)
  if (with_entropy) out.entropy = at::constant_pad_nd(r.entropy.view({B, T - 1}), {1, 0}, 0.0);
  return out;
}

}  // namespace

TokenLogprobs token_logprobs(const model::Policy& policy, const SequenceBatch& batch, bool with_entropy,
                             LogprobPath path) {
  at::Tensor embeds = policy.embed(batch.input_ids, batch.images);                      // (B, T, H)
  at::Tensor hidden = policy.hidden_states(batch.input_ids, batch.attention_mask, nullptr, embeds);  // (B, T, H)
  return path == LogprobPath::fused ? fused_token_logprobs(policy, hidden, batch.input_ids, with_entropy)
                                    : plain_token_logprobs(policy, hidden, batch.input_ids, with_entropy);
}

}  // namespace retort::rl
