// yes_probabilities and its helpers (see answer_probability.h).
#include "rl/answer_probability.h"

#include <cmath>

#include "rl/likelihood_scoring.h"

namespace retort::rl {

std::optional<size_t> answer_position(const std::vector<int64_t>& tokens, const std::vector<float>& mask,
                                      int64_t answer_tag_id) {
  std::optional<size_t> position;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool sampled = mask.empty() || (i < mask.size() && mask[i] > 0.0f);
    if (sampled && tokens[i] == answer_tag_id) position = i + 1;
  }
  return position;
}

double two_way_probability(double logprob_yes, double logprob_no) {
  // 1 / (1 + exp(no - yes)), written so that neither exp overflows.
  const double d = logprob_no - logprob_yes;
  if (d >= 0) {
    const double e = std::exp(-d);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + std::exp(d));
}

std::vector<std::optional<double>> yes_probabilities(const model::Policy& policy, const PromptBuilder& prompts,
                                                     const std::vector<Rollout>& rollouts, int64_t micro_batch_size) {
  const model::Tokenizer& tokenizer = prompts.tokenizer();
  const int64_t answer_tag = tokenizer.require_token_id("<answer>");
  std::vector<int64_t> yes, no;
  for (int32_t id : tokenizer.encode("yes")) yes.push_back(id);
  for (int32_t id : tokenizer.encode("no")) no.push_back(id);

  std::vector<std::optional<double>> out(rollouts.size());
  std::vector<ContinuationRequest> requests;  // two per answered rollout: yes, then no
  std::vector<size_t> owner;
  for (size_t i = 0; i < rollouts.size(); ++i) {
    const Rollout& r = rollouts[i];
    auto position = answer_position(r.tokens, r.token_mask, answer_tag);
    if (!position) continue;
    ContinuationRequest request;
    request.prefix = r.prompt_ids;
    request.prefix.insert(request.prefix.end(), r.tokens.begin(), r.tokens.begin() + static_cast<long>(*position));
    request.images = r.images;
    request.continuation = yes;
    requests.push_back(request);
    request.continuation = no;
    requests.push_back(std::move(request));
    owner.push_back(i);
  }
  auto logprobs = continuation_logprobs(policy, requests, prompts.pad_id(), micro_batch_size);
  auto sum = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  };
  for (size_t k = 0; k < owner.size(); ++k)
    out[owner[k]] = two_way_probability(sum(logprobs[2 * k]), sum(logprobs[2 * k + 1]));
  return out;
}

}  // namespace retort::rl
