// The policy's probability of "yes" for a yes/no question, read at the answer position: after the
// prompt and the policy's own generated reasoning up to its last <answer> tag, the continuations
// "yes" and "no" are teacher-forced and P(yes) = pi(yes) / (pi(yes) + pi(no)). This is how ROC-AUC is
// scored for an LLM classifier (a ranking score, not the thresholded answer); evaluate_policy uses it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "model/policy.h"
#include "rl/prompting.h"
#include "rl/rollout_batch.h"

namespace retort::rl {

// Index one past the last ANSWER_TAG_ID among the policy-sampled tokens (mask 1, or all when MASK is
// empty); nullopt when the rollout never opened an answer.
std::optional<size_t> answer_position(const std::vector<int64_t>& tokens, const std::vector<float>& mask,
                                      int64_t answer_tag_id);

// pi(yes) / (pi(yes) + pi(no)) from the two continuations' summed log-probs, computed stably.
double two_way_probability(double logprob_yes, double logprob_no);

// Per rollout: P(yes) at its answer position (see above), or nullopt when it has no <answer> tag.
// One batched no-grad forward pass per MICRO_BATCH_SIZE continuations.
std::vector<std::optional<double>> yes_probabilities(const model::Policy& policy, const PromptBuilder& prompts,
                                                     const std::vector<Rollout>& rollouts, int64_t micro_batch_size);

}  // namespace retort::rl
