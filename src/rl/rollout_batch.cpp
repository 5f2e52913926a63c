// sample_rollouts: one Sampler batch, stop at the end of the assistant turn; with tools, the episode
// loop of rollout/tool_episode answers each pause at </tool_call>.
#include "rl/rollout_batch.h"

#include <ATen/core/grad_mode.h>

#include "rollout/tool_episode.h"

namespace retort::rl {

std::vector<Rollout> sample_rollouts(const model::Policy& policy, const PromptBuilder& prompts,
                                     const std::vector<PromptInputs>& inputs, const rollout::SamplingParams& sampling,
                                     int64_t max_new_tokens, uint64_t seed) {
  const ToolSettings& tools = prompts.tool_settings();
  at::NoGradGuard no_grad;
  rollout::GenerationParams params;
  params.sampling = sampling;
  params.max_new_tokens = max_new_tokens;
  params.stop_token_ids = {prompts.end_of_turn_id(), prompts.end_of_text_id()};
  params.seed = seed;
  params.pad_token_id = prompts.pad_id();
  params.append_capacity = 0;  // no tool responses without tools
  const model::Tokenizer& tokenizer = prompts.tokenizer();
  if (tools.enabled) {
    params.pause_strings = {rollout::ToolEpisodeRunner::pause_string};
    params.append_capacity = rollout::tool_append_capacity(tools.limits());
  }
  rollout::Sampler sampler(policy, params, tools.enabled ? rollout::tokenizer_decoder(tokenizer) : rollout::DecodeFn{});
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<chem::Image>> images;
  for (const auto& p : inputs) {
    ids.push_back(p.ids);
    images.push_back(p.images);
  }
  sampler.start(ids, images);
  std::vector<std::vector<ToolCallRecord>> calls(inputs.size());
  if (tools.enabled) {
    tools::ToolRegistry registry = tool_registry(tools);
    rollout::ToolEpisodeRunner runner(registry, tokenizer, tools.limits());
    rollout::SamplerBatch batch(sampler);
    calls = runner.run(batch);
  } else {
    sampler.run();
  }
  std::vector<Rollout> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& s = sampler.sequence(static_cast<int64_t>(i));
    Rollout r;
    r.prompt_ids = inputs[i].ids;
    r.images = inputs[i].images;
    r.tokens = s.tokens;
    r.logprobs = s.logprobs_untempered;
    r.token_mask.assign(s.sampled.begin(), s.sampled.end());
    r.sampled_tokens = s.sampled_count;
    // The verifiers read the final assistant turn: the tokens after the last appended tool turn.
    size_t final_turn = s.tokens.size();
    while (final_turn > 0 && s.sampled[final_turn - 1]) --final_turn;
    r.completion = prompts.completion_text(std::vector<int64_t>(s.tokens.begin() + final_turn, s.tokens.end()));
    std::vector<int32_t> all(s.tokens.begin(), s.tokens.end());
    r.transcript = tokenizer.decode(all, /*skip_special_tokens=*/false);
    r.tool_calls = std::move(calls[i]);
    r.clipped = s.finish_reason == rollout::FinishReason::max_new_tokens;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace retort::rl
