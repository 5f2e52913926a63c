// The likelihood rewards' direct term. A log-prob (or VeriFree) reward R = log pi(a* | q, z) depends on
// the parameters twice: through the sampled reasoning z (the REINFORCE term the policy loss already
// carries via the advantages) and through the reference answer's own probability after z. This file adds
// the second: loss = -sum_n c_n sum_{t in a*} log pi(a*_t | q, z_n, <answer>, a*_<t), aggregated like the
// policy loss (as if a* were more tokens of the batch), c_n from answer_gradient_coefficient.
// Source: "Likelihood-Based Reward Designs for General LLM Reasoning"; VeriFree (ALGORITHMS.md).
#include <algorithm>

#include "rl/autocast.h"
#include "rl/likelihood_scoring.h"
#include "rl/token_logprobs.h"
#include "rl/trainer.h"

namespace retort::rl {

double Trainer::backward_answer_gradient(const std::vector<RolloutGroup>& groups, int64_t first, int64_t last,
                                         const PolicyLossOptions& loss_options, std::map<std::string, double>& m) {
  // Rows: prefix (prompt + reasoning + <answer>, mask 0) then a* (mask 1); one row per rollout.
  std::vector<ContinuationRequest> rows;
  std::vector<float> weights;
  for (int64_t k = first; k < last; ++k) {
    const auto& g = groups[static_cast<size_t>(k)];
    for (size_t i = 0; i < g.answer_rows.size(); ++i)
      if (g.answer_row_weights[i] != 0.0) {  // 0: no gradient to carry (VeriFree without an answer slot)
        rows.push_back(g.answer_rows[i]);
        weights.push_back(static_cast<float>(g.answer_row_weights[i]));
      }
  }
  if (rows.empty()) return 0.0;
  const auto& rl = config_.rl;
  const at::Device device = policy_->device();
  const bool autocast = autocast_wanted(config_.model.autocast, device, policy_->dtype());
  const Aggregation aggregation = loss_options.aggregation.value_or(default_aggregation(rl.loss));
  double loss_total = 0, nll_sum = 0, nll_tokens = 0;
  const auto count = static_cast<int64_t>(rows.size());
  for (int64_t a = 0; a < count; a += rl.micro_batch_size) {
    const int64_t b = std::min(count, a + rl.micro_batch_size);
    SequenceBatch mb = pack_continuations(rows, static_cast<size_t>(a), static_cast<size_t>(b), prompts_->pad_id(), device);
    at::Tensor logp;  // (B, T)
    {
      AutocastScope scope(autocast, device.type());
      logp = token_logprobs(*policy_, mb, /*with_entropy=*/false).logp.to(at::kFloat);
    }
    at::Tensor c = at::tensor(std::vector<float>(weights.begin() + a, weights.begin() + b)).to(device);  // (B,)
    at::Tensor per_token = -logp * c.unsqueeze(1);                                                        // (B, T)
    at::Tensor loss = aggregate_loss(per_token, mb.loss_mask, aggregation, loss_options.max_length,
                                     loss_options.normalizers);
    loss.backward();
    loss_total += loss.item<double>();
    nll_sum += -(logp.detach() * mb.loss_mask).sum().item<double>();
    nll_tokens += mb.loss_mask.sum().item<double>();
  }
  m["likelihood/answer_nll"] = nll_sum / std::max(1.0, nll_tokens);  // mean -log pi(a*_t) after the reasoning
  m["likelihood/answer_loss"] = loss_total;
  return loss_total;
}

}  // namespace retort::rl
