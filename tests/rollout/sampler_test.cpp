// Sampler: the cached path and the full-forward reference path give the same greedy tokens; sampling
// is deterministic per seed; per-sequence stops (token, string, max); sampled log-probs agree with a
// full forward; pause at a string, append tokens, resume: the resumed logits equal a fresh forward.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "core/errors.h"
#include "model/policy.h"
#include "model/tokenizer.h"
#include "rollout/sampler.h"

using namespace retort;
using namespace retort::rollout;

namespace {

model::Policy small_policy(uint64_t seed) {
  model::Qwen2Config c;
  c.vocab_size = 26;
  c.hidden_size = 64;
  c.intermediate_size = 96;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 16;
  c.initializer_range = 0.3;  // peaked distributions: varied greedy text, no near-ties
  return model::Policy::create(c, seed);
}

// Token t is the letter 'a' + t.
std::string letters(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s.push_back(static_cast<char>('a' + id));
  return s;
}

const std::vector<std::vector<int64_t>> kPrompts = {{1, 2, 3, 4, 5, 6, 7}, {9, 9}, {20, 3, 17, 4}};

// Logits (V,) of the next token after PROMPT + TOKENS, from one full forward without a cache.
at::Tensor full_forward_next(const model::Policy& policy, const Sequence& s) {
  std::vector<int64_t> all = s.prompt;
  all.insert(all.end(), s.tokens.begin(), s.tokens.end());
  return policy.logits(at::tensor(all, at::kLong).unsqueeze(0))[0][-1];
}

TEST(Sampler, CachedAndReferencePathsGiveTheSameGreedyTokens) {
  auto policy = small_policy(1);
  GenerationParams params;
  params.sampling.temperature = 0;
  params.max_new_tokens = 40;
  auto cached = generate(policy, kPrompts, params);
  params.use_cache = false;
  auto reference = generate(policy, kPrompts, params);
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    EXPECT_EQ(cached[i].tokens, reference[i].tokens) << i;
    EXPECT_EQ(cached[i].tokens.size(), 40u);
  }
  // The text is not degenerate (a test of something): several distinct tokens per sequence.
  std::set<int64_t> distinct(cached[0].tokens.begin(), cached[0].tokens.end());
  EXPECT_GT(distinct.size(), 3u);
}

TEST(Sampler, SamplingIsDeterministicPerSeedAndLogProbsMatchAFullForward) {
  auto policy = small_policy(2);
  GenerationParams params;
  params.sampling.temperature = 0.8;
  params.sampling.top_k = 10;
  params.max_new_tokens = 24;
  params.seed = 5;
  auto a = generate(policy, kPrompts, params), b = generate(policy, kPrompts, params);
  params.seed = 6;
  auto c = generate(policy, kPrompts, params);
  bool any_different = false;
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    EXPECT_EQ(a[i].tokens, b[i].tokens);
    EXPECT_EQ(a[i].logprobs, b[i].logprobs);
    any_different |= a[i].tokens != c[i].tokens;
  }
  EXPECT_TRUE(any_different);
  // Untempered log-probs equal log_softmax of a full forward over the finished sequence.
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    std::vector<int64_t> all = a[i].prompt;
    all.insert(all.end(), a[i].tokens.begin(), a[i].tokens.end());
    at::Tensor log_probs = policy.logits(at::tensor(all, at::kLong).unsqueeze(0))[0].log_softmax(-1);  // (T, V)
    const int64_t P = static_cast<int64_t>(a[i].prompt.size());
    for (size_t t = 0; t < a[i].tokens.size(); ++t) {
      const float expected = log_probs[P - 1 + static_cast<int64_t>(t)][a[i].tokens[t]].item<float>();
      EXPECT_NEAR(a[i].logprobs_untempered[t], expected, 1e-4) << i << " " << t;
      EXPECT_GE(a[i].logprobs[t], a[i].logprobs_untempered[t] - 2.0f);  // top-k renormalisation raises it
    }
  }
}

TEST(Sampler, SequencesFinishOnTheirOwnStopTokenStringOrLength) {
  auto policy = small_policy(3);
  GenerationParams params;
  params.sampling.temperature = 0;
  params.max_new_tokens = 30;
  auto free_run = generate(policy, kPrompts, params, letters);
  // Stop token: the 5th token of sequence 0; it finishes at its first occurrence, token kept.
  const int64_t stop = free_run[0].tokens[4];
  const auto first = std::find(free_run[0].tokens.begin(), free_run[0].tokens.end(), stop) - free_run[0].tokens.begin();
  params.stop_token_ids = {stop};
  auto stopped = generate(policy, kPrompts, params, letters);
  EXPECT_EQ(stopped[0].finish_reason, FinishReason::stop_token);
  EXPECT_EQ(static_cast<int64_t>(stopped[0].tokens.size()), first + 1);
  EXPECT_EQ(stopped[0].tokens.back(), stop);
  // Stop string: letters 6-8 of sequence 2's text.
  params.stop_token_ids.clear();
  const std::string text = letters(free_run[2].tokens), needle = text.substr(6, 3);
  params.stop_strings = {needle};
  auto by_string = generate(policy, kPrompts, params, letters);
  EXPECT_EQ(by_string[2].finish_reason, FinishReason::stop_string);
  EXPECT_EQ(by_string[2].matched_string, needle);
  EXPECT_EQ(letters(by_string[2].tokens), text.substr(0, text.find(needle) + 3));
  for (const auto& s : by_string)
    if (s.finish_reason == FinishReason::max_new_tokens) EXPECT_EQ(s.tokens.size(), 30u);
  // A prefix of the other sequences is unaffected by sequence 2 stopping early.
  for (int i : {0, 1})
    if (by_string[i].finish_reason == FinishReason::max_new_tokens) EXPECT_EQ(by_string[i].tokens, free_run[i].tokens);
  params.stop_strings = {""};
  EXPECT_THROW(Sampler(policy, params, letters), ConfigError);
}

TEST(Sampler, PauseAppendResumeEqualsAFreshFullForward) {
  auto policy = small_policy(4);
  GenerationParams params;
  params.sampling.temperature = 0;
  params.max_new_tokens = 20;
  auto free_run = generate(policy, kPrompts, params, letters);
  const std::string text = letters(free_run[1].tokens), pause = text.substr(3, 2);
  params.pause_strings = {pause};
  for (bool use_cache : {true, false}) {
    params.use_cache = use_cache;
    Sampler sampler(policy, params, letters);
    sampler.start(kPrompts);
    sampler.run();
    const Sequence& s = sampler.sequence(1);
    ASSERT_EQ(s.status, SequenceStatus::paused);
    EXPECT_EQ(letters(s.tokens), text.substr(0, text.find(pause) + 2));
    EXPECT_THROW(sampler.append_and_resume(0, {1}), DataError);  // sequence 0 is not paused
    ASSERT_TRUE(sampler.append_and_resume(1, {7, 8, 9, 10, 11}));
    // The next-token logits after the appended tokens equal a full forward of the whole text.
    EXPECT_LT((sampler.next_logits(1) - full_forward_next(policy, s)).abs().max().item<double>(), 1e-4);
    sampler.run();  // may pause again; finish it then
    while (sampler.sequence(1).status == SequenceStatus::paused) sampler.finish(1);
    const Sequence& done = sampler.sequence(1);
    EXPECT_EQ(std::count(done.sampled.begin(), done.sampled.end(), 0), 5);
    // Every sampled token is the argmax of a full forward over what precedes it.
    for (size_t t = 0; t < done.tokens.size(); ++t) {
      if (!done.sampled[t]) continue;
      Sequence prefix = done;
      prefix.tokens.resize(t);
      EXPECT_EQ(full_forward_next(policy, prefix).argmax().item<int64_t>(), done.tokens[t]) << t;
    }
  }
}

TEST(Sampler, StopStringsThroughTheTinyTokenizer) {
  auto tokenizer = model::Tokenizer::tiny_default();
  model::Qwen2Config c;
  c.vocab_size = tokenizer.vocab_size();
  c.hidden_size = 32;
  c.intermediate_size = 64;
  c.num_hidden_layers = 1;
  c.num_attention_heads = 2;
  c.num_key_value_heads = 1;
  c.head_dim = 16;
  auto policy = model::Policy::create(c, 8);
  GenerationParams params;
  params.max_new_tokens = 12;
  params.sampling.temperature = 0;
  auto decode = tokenizer_decoder(tokenizer);
  auto prompt_ids = tokenizer.encode("<|im_start|>user\nCCO<|im_end|>\n");
  std::vector<int64_t> prompt(prompt_ids.begin(), prompt_ids.end());
  auto free_run = generate(policy, {prompt}, params, decode);
  const std::string text = decode(free_run[0].tokens);
  ASSERT_GE(text.size(), 4u);
  params.stop_strings = {text.substr(text.size() / 2, 2)};
  auto stopped = generate(policy, {prompt}, params, decode);
  EXPECT_EQ(stopped[0].finish_reason, FinishReason::stop_string);
  EXPECT_NE(decode(stopped[0].tokens).find(params.stop_strings[0]), std::string::npos);
}

}  // namespace
