// Batched KV-cache generation with pause/append/resume (see sampler.h).
#include "rollout/sampler.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

#include "core/errors.h"
#include "model/tokenizer.h"

namespace retort::rollout {

const char* to_string(FinishReason reason) {
  switch (reason) {
    case FinishReason::none: return "none";
    case FinishReason::stop_token: return "stop_token";
    case FinishReason::stop_string: return "stop_string";
    case FinishReason::max_new_tokens: return "max_new_tokens";
    case FinishReason::cache_full: return "cache_full";
  }
  return "?";
}

DecodeFn tokenizer_decoder(const model::Tokenizer& tokenizer) {
  return [&tokenizer](const std::vector<int64_t>& ids) {
    std::string text;
    for (int64_t id : ids) text += tokenizer.token_bytes(static_cast<int32_t>(id));
    return text;
  };
}

Sampler::Sampler(const model::Policy& policy, GenerationParams params, DecodeFn decode)
    : policy_(policy), params_(std::move(params)), decode_(std::move(decode)) {
  validate(params_.sampling);
  if (params_.max_new_tokens < 0) throw ConfigError("generation: max_new_tokens must be >= 0");
  if (params_.append_capacity < 0) throw ConfigError("generation: append_capacity must be >= 0");
  for (const auto* list : {&params_.stop_strings, &params_.pause_strings})
    for (const auto& s : *list) {
      if (s.empty()) throw ConfigError("generation: empty stop/pause string");
      longest_needle_ = std::max(longest_needle_, s.size());
    }
  if (longest_needle_ > 0 && !decode_) throw ConfigError("generation: stop/pause strings need a decode function");
}

Sampler::~Sampler() = default;

void Sampler::start(const std::vector<std::vector<int64_t>>& prompts, const std::vector<std::vector<chem::Image>>& images) {
  if (prompts.empty()) throw DataError("generation: no prompts");
  if (!images.empty() && images.size() != prompts.size())
    throw DataError("generation: " + std::to_string(images.size()) + " image lists for " + std::to_string(prompts.size()) + " prompts");
  const int64_t vocab = policy_.config().vocab_size;
  sequences_.assign(prompts.size(), Sequence{});
  for (size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw DataError("generation: prompt " + std::to_string(i) + " is empty");
    for (int64_t id : prompts[i])
      if (id < 0 || id >= vocab)
        throw DataError("generation: prompt " + std::to_string(i) + " has token id " + std::to_string(id) +
                        " outside the vocabulary of " + std::to_string(vocab));
    sequences_[i].prompt = prompts[i];
    if (params_.max_new_tokens == 0) {
      sequences_[i].status = SequenceStatus::finished;
      sequences_[i].finish_reason = FinishReason::max_new_tokens;
    }
  }
  images_ = images;
  generator_ = at::globalContext().defaultGenerator(policy_.device()).clone();
  generator_.set_current_seed(params_.seed);
  c10::InferenceMode inference;
  if (params_.use_cache) {
    int64_t longest = 0;
    for (const auto& p : prompts) longest = std::max<int64_t>(longest, static_cast<int64_t>(p.size()));
    cache_ = std::make_unique<model::KvCache>(policy_.config(), size(), longest + params_.max_new_tokens + params_.append_capacity,
                                              policy_.device(), policy_.dtype());
    prefill();
  } else {
    cache_.reset();
    full_forward_logits();
  }
}

// Rows of token lists, left-padded into (B, T) ids and mask.
static void left_pad(const std::vector<std::vector<int64_t>>& rows, int64_t pad, at::Tensor& ids, at::Tensor& mask) {
  int64_t T = 0;
  for (const auto& r : rows) T = std::max<int64_t>(T, static_cast<int64_t>(r.size()));
  const int64_t B = static_cast<int64_t>(rows.size());
  std::vector<int64_t> id_data(B * T, pad), mask_data(B * T, 0);
  for (int64_t b = 0; b < B; ++b) {
    const int64_t offset = T - static_cast<int64_t>(rows[b].size());
    for (size_t t = 0; t < rows[b].size(); ++t) {
      id_data[b * T + offset + t] = rows[b][t];
      mask_data[b * T + offset + t] = 1;
    }
  }
  ids = at::tensor(id_data, at::TensorOptions().dtype(at::kLong)).view({B, T});
  mask = at::tensor(mask_data, at::TensorOptions().dtype(at::kLong)).view({B, T});
}

static std::vector<chem::Image> flatten_images(const std::vector<std::vector<chem::Image>>& images) {
  std::vector<chem::Image> out;
  for (const auto& list : images) out.insert(out.end(), list.begin(), list.end());
  return out;
}

void Sampler::prefill() {
  std::vector<std::vector<int64_t>> rows;
  for (const auto& s : sequences_) rows.push_back(s.prompt);
  at::Tensor ids, mask;
  left_pad(rows, params_.pad_token_id, ids, mask);
  ids = ids.to(policy_.device());
  at::Tensor embeds = policy_.embed(ids, flatten_images(images_));
  at::Tensor hidden = policy_.decoder().hidden_states(ids, mask, cache_.get(), embeds);  // (B, T, H)
  pending_logits_ = policy_.decoder().project_logits(hidden.select(1, -1)).to(at::kFloat);  // (B, V)
}

void Sampler::full_forward_logits() {
  std::vector<std::vector<int64_t>> rows;
  for (const auto& s : sequences_) {
    std::vector<int64_t> row = s.prompt;
    row.insert(row.end(), s.tokens.begin(), s.tokens.end());
    rows.push_back(std::move(row));
  }
  at::Tensor ids, mask;
  left_pad(rows, params_.pad_token_id, ids, mask);
  ids = ids.to(policy_.device());
  at::Tensor embeds = policy_.embed(ids, flatten_images(images_));
  at::Tensor hidden = policy_.decoder().hidden_states(ids, mask, nullptr, embeds);
  pending_logits_ = policy_.decoder().project_logits(hidden.select(1, -1)).to(at::kFloat);
}

bool Sampler::ends_with_new_match(const Sequence& s, const std::vector<std::string>& needles, std::string& matched) const {
  if (needles.empty()) return false;
  // Every token decodes to at least one byte, so a match that the last token completed lies in
  // the last longest_needle_ + 1 tokens of the current sampled segment.
  const size_t n = s.tokens.size();
  const size_t window = std::min(n - s.segment_begin, longest_needle_ + 1);
  std::vector<int64_t> tail(s.tokens.end() - static_cast<std::ptrdiff_t>(window), s.tokens.end());
  const std::string text = decode_(tail);
  tail.pop_back();
  const std::string before = decode_(tail);
  for (const auto& needle : needles)
    if (text.find(needle) != std::string::npos && before.find(needle) == std::string::npos) {
      matched = needle;
      return true;
    }
  return false;
}

void Sampler::after_sample(int64_t i, int64_t token, float logprob, float logprob_untempered) {
  Sequence& s = sequences_[i];
  s.tokens.push_back(token);
  s.sampled.push_back(1);
  s.logprobs.push_back(logprob);
  s.logprobs_untempered.push_back(logprob_untempered);
  ++s.sampled_count;
  if (std::find(params_.stop_token_ids.begin(), params_.stop_token_ids.end(), token) != params_.stop_token_ids.end()) {
    s.status = SequenceStatus::finished;
    s.finish_reason = FinishReason::stop_token;
  } else if (ends_with_new_match(s, params_.stop_strings, s.matched_string)) {
    s.status = SequenceStatus::finished;
    s.finish_reason = FinishReason::stop_string;
  } else if (s.sampled_count >= params_.max_new_tokens) {
    s.status = SequenceStatus::finished;
    s.finish_reason = FinishReason::max_new_tokens;
  } else if (ends_with_new_match(s, params_.pause_strings, s.matched_string)) {
    s.status = SequenceStatus::paused;
  }
}

void Sampler::step() {
  const int64_t B = size();
  SampledTokens drawn = sample_tokens(pending_logits_, params_.sampling, generator_);
  at::Tensor tokens = drawn.tokens.to(at::kCPU), lp = drawn.logprobs.to(at::kCPU),
             lpu = drawn.logprobs_untempered.to(at::kCPU);
  const int64_t* token_data = tokens.data_ptr<int64_t>();
  const float* lp_data = lp.data_ptr<float>();
  const float* lpu_data = lpu.data_ptr<float>();
  // Rows that sampled now go through the model with their token unless they finished; a row that
  // paused still needs its last token in the cache before a tool response follows it.
  std::vector<char> advance(B, 0);
  std::vector<int64_t> next_ids(B, params_.pad_token_id), next_mask(B, 0);
  for (int64_t i = 0; i < B; ++i) {
    if (sequences_[i].status != SequenceStatus::running) continue;
    after_sample(i, token_data[i], lp_data[i], lpu_data[i]);
    if (sequences_[i].status == SequenceStatus::finished) continue;
    advance[i] = 1;
    next_ids[i] = token_data[i];
    next_mask[i] = 1;
  }
  if (std::none_of(advance.begin(), advance.end(), [](char a) { return a != 0; })) return;
  if (!params_.use_cache) {
    full_forward_logits();
    return;
  }
  // A row without room finishes instead of failing the batch.
  for (int64_t i = 0; i < B; ++i)
    if (advance[i] && cache_->length(i) + 1 > cache_->capacity()) {
      sequences_[i].status = SequenceStatus::finished;
      sequences_[i].finish_reason = FinishReason::cache_full;
      advance[i] = 0;
      next_mask[i] = 0;
    }
  at::Tensor ids = at::tensor(next_ids, at::TensorOptions().dtype(at::kLong)).view({B, 1}).to(policy_.device());
  at::Tensor mask = at::tensor(next_mask, at::TensorOptions().dtype(at::kLong)).view({B, 1});
  at::Tensor hidden = policy_.decoder().hidden_states(ids, mask, cache_.get(), {}, 0, advance);  // (B, 1, H)
  at::Tensor fresh = policy_.decoder().project_logits(hidden.select(1, 0)).to(at::kFloat);       // (B, V)
  if (std::all_of(next_mask.begin(), next_mask.end(), [](int64_t m) { return m != 0; })) {
    pending_logits_ = fresh;  // every row stepped: no row keeps its old logits
    return;
  }
  at::Tensor rows = at::tensor(std::vector<int64_t>(next_mask.begin(), next_mask.end()), at::TensorOptions().dtype(at::kLong))
                        .to(policy_.device()).to(at::kBool).unsqueeze(1);
  pending_logits_ = at::where(rows, fresh, pending_logits_);
}

void Sampler::run() {
  c10::InferenceMode inference;
  auto running = [&] {
    return std::any_of(sequences_.begin(), sequences_.end(), [](const Sequence& s) { return s.status == SequenceStatus::running; });
  };
  while (running()) step();
}

bool Sampler::append_and_resume(int64_t i, const std::vector<int64_t>& tokens) {
  Sequence& s = sequences_.at(i);
  if (s.status != SequenceStatus::paused)
    throw DataError("generation: sequence " + std::to_string(i) + " is not paused; only a paused sequence takes appended tokens");
  const int64_t vocab = policy_.config().vocab_size;
  for (int64_t id : tokens)
    if (id < 0 || id >= vocab) throw DataError("generation: appended token id " + std::to_string(id) + " outside the vocabulary");
  if (tokens.empty()) {
    s.status = SequenceStatus::running;
    s.segment_begin = s.tokens.size();
    return true;
  }
  c10::InferenceMode inference;
  if (params_.use_cache && cache_->length(i) + static_cast<int64_t>(tokens.size()) > cache_->capacity()) {
    s.status = SequenceStatus::finished;
    s.finish_reason = FinishReason::cache_full;
    return false;
  }
  s.tokens.insert(s.tokens.end(), tokens.begin(), tokens.end());
  s.sampled.insert(s.sampled.end(), tokens.size(), 0);
  s.logprobs.insert(s.logprobs.end(), tokens.size(), 0.0f);
  s.logprobs_untempered.insert(s.logprobs_untempered.end(), tokens.size(), 0.0f);
  s.status = SequenceStatus::running;
  s.matched_string.clear();
  s.segment_begin = s.tokens.size();
  if (!params_.use_cache) {
    full_forward_logits();
    return true;
  }
  const int64_t n = static_cast<int64_t>(tokens.size());
  at::Tensor ids = at::tensor(tokens, at::TensorOptions().dtype(at::kLong)).view({1, n}).to(policy_.device());
  at::Tensor hidden = policy_.decoder().hidden_states(ids, {}, cache_.get(), {}, i);  // (1, n, H)
  pending_logits_[i].copy_(policy_.decoder().project_logits(hidden.select(1, -1)).to(at::kFloat)[0]);
  return true;
}

void Sampler::finish(int64_t i) {
  Sequence& s = sequences_.at(i);
  if (s.status == SequenceStatus::paused) {
    s.status = SequenceStatus::finished;
    s.finish_reason = FinishReason::stop_string;
  }
}

at::Tensor Sampler::next_logits(int64_t i) const { return pending_logits_[i]; }

std::vector<Sequence> generate(const model::Policy& policy, const std::vector<std::vector<int64_t>>& prompts,
                               const GenerationParams& params, DecodeFn decode) {
  Sampler sampler(policy, params, std::move(decode));
  sampler.start(prompts);
  sampler.run();
  return sampler.sequences();
}

}  // namespace retort::rollout
