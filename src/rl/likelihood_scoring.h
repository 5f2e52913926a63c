// The forward passes behind likelihood rewards (log-prob, VeriFree, RLPR) and SAR: log-probs of given
// continuation tokens after given prefixes under a policy, batched, without gradients; and the text of
// an example's reference answer that those rewards score.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chem/image.h"
#include "core/example.h"
#include "model/policy.h"
#include "rl/token_logprobs.h"

namespace retort::rl {

struct ContinuationRequest {
  std::vector<int64_t> prefix;        // prompt (+ reasoning) ids
  std::vector<int64_t> continuation;  // the tokens whose log-probs are wanted
  std::vector<chem::Image> images;    // for <|image|> placeholders in the prefix
};

// REQUESTS[begin, end) as one padded batch on DEVICE: prefix + continuation per row, loss mask 1 on the
// continuation's tokens.
SequenceBatch pack_continuations(const std::vector<ContinuationRequest>& requests, size_t begin, size_t end,
                                 int64_t pad_id, at::Device device);

// Per request: log pi(continuation[j] | prefix, continuation[<j]) for every j (empty for an empty
// continuation). Runs MICRO_BATCH_SIZE requests per forward pass under no-grad.
std::vector<std::vector<double>> continuation_logprobs(const model::Policy& policy,
                                                       const std::vector<ContinuationRequest>& requests,
                                                       int64_t pad_id, int64_t micro_batch_size);

// The reference answer as text: a string answer as is, a number in its shortest round-trip form, a
// boolean as "yes"/"no", an object's "value" likewise, else meta.answer_text; nullopt when none applies.
std::optional<std::string> reference_answer_text_of(const Example& example);

}  // namespace retort::rl
