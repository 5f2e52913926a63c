// sample_rollouts: one Sampler batch, stop at the end of the assistant turn.
#include "rl/rollout_batch.h"

#include <ATen/core/grad_mode.h>

namespace retort::rl {

std::vector<Rollout> sample_rollouts(const model::Policy& policy, const PromptBuilder& prompts,
                                     const std::vector<PromptInputs>& inputs, const rollout::SamplingParams& sampling,
                                     int64_t max_new_tokens, uint64_t seed) {
  at::NoGradGuard no_grad;
  rollout::GenerationParams params;
  params.sampling = sampling;
  params.max_new_tokens = max_new_tokens;
  params.stop_token_ids = {prompts.end_of_turn_id(), prompts.end_of_text_id()};
  params.seed = seed;
  params.pad_token_id = prompts.pad_id();
  params.append_capacity = 0;  // no tool responses in these rollouts
  rollout::Sampler sampler(policy, params);
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<chem::Image>> images;
  for (const auto& p : inputs) {
    ids.push_back(p.ids);
    images.push_back(p.images);
  }
  sampler.start(ids, images);
  sampler.run();
  std::vector<Rollout> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& s = sampler.sequence(static_cast<int64_t>(i));
    Rollout r;
    r.prompt_ids = inputs[i].ids;
    r.images = inputs[i].images;
    r.tokens = s.tokens;
    r.logprobs = s.logprobs_untempered;
    r.token_mask.assign(s.sampled.begin(), s.sampled.end());
    r.completion = prompts.completion_text(s.tokens);
    r.clipped = s.finish_reason == rollout::FinishReason::max_new_tokens;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace retort::rl
