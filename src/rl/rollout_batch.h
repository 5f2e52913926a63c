// Rollouts for the trainer and the evaluator: prompts -> sampled completions with their log-probs,
// decoded text and finish reasons, in the order given. With tools enabled (rl/tool_settings.h) each
// rollout is a multi-turn episode (rollout/tool_episode.h): tool turns are appended with mask 0.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/episode.h"
#include "model/policy.h"
#include "rl/prompting.h"
#include "rollout/sampler.h"

namespace retort::rl {

struct Rollout {
  std::vector<int64_t> prompt_ids;
  std::vector<chem::Image> images;
  std::vector<int64_t> tokens;           // generated tokens: sampled, and appended tool turns
  std::vector<float> logprobs;           // untempered log-prob per token (the policy's own; 0 if appended)
  std::vector<float> token_mask;         // per token: 1 = sampled by the policy (trains), 0 = appended (tool response)
  std::string completion;                // what the verifiers score: the final assistant turn, decoded,
                                         // turn-end tokens dropped (the whole completion without tool turns)
  std::string transcript;                // every token after the prompt, decoded with special tokens
                                         // (tool turns included)
  std::vector<ToolCallRecord> tool_calls;  // in order; empty without tools
  int64_t sampled_tokens = 0;            // tokens the policy produced (tokens.size() minus tool turns)
  bool clipped = false;                  // stopped by max_new_tokens
};

// Generates one completion per prompt (duplicate prompts for groups) under no-grad. When PROMPTS has
// tools on (PromptBuilder::set_tools) the sampler pauses at </tool_call> and the episode loop answers
// each call under those settings.
std::vector<Rollout> sample_rollouts(const model::Policy& policy, const PromptBuilder& prompts,
                                     const std::vector<PromptInputs>& inputs, const rollout::SamplingParams& sampling,
                                     int64_t max_new_tokens, uint64_t seed);

}  // namespace retort::rl
