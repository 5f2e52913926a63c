// Rollouts for the trainer and the evaluator: prompts -> sampled completions with their log-probs,
// decoded text and finish reasons, in the order given.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/policy.h"
#include "rl/prompting.h"
#include "rollout/sampler.h"

namespace retort::rl {

struct Rollout {
  std::vector<int64_t> prompt_ids;
  std::vector<chem::Image> images;
  std::vector<int64_t> tokens;           // generated (sampled) tokens
  std::vector<float> logprobs;           // untempered log-prob per token (the policy's own; 0 if appended)
  std::vector<float> token_mask;         // per token: 1 = sampled by the policy (trains), 0 = appended (tool response)
  std::string completion;                // decoded, turn-end tokens dropped
  bool clipped = false;                  // stopped by max_new_tokens
};

// Generates one completion per prompt (duplicate prompts for groups) under no-grad.
std::vector<Rollout> sample_rollouts(const model::Policy& policy, const PromptBuilder& prompts,
                                     const std::vector<PromptInputs>& inputs, const rollout::SamplingParams& sampling,
                                     int64_t max_new_tokens, uint64_t seed);

}  // namespace retort::rl
