// Batched generation from a Policy with a per-layer KV cache (model/kv_cache.h): left-padded prefill,
// one decode step per token for the sequences still running, per-sequence finish on stop token ids,
// stop strings or max_new_tokens. A sequence whose text ends a pause string (e.g. "</tool_call>")
// pauses; the caller appends a tool response with append_and_resume(), which extends only that
// sequence's cache, and run() continues it without recomputing the prefix.
//
// The plain reference path (use_cache = false) recomputes a full forward over every sequence at each
// step, llm.c style; tests check it yields the same greedy tokens as the cached path.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "chem/image.h"
#include "model/kv_cache.h"
#include "model/policy.h"
#include "rollout/sampling.h"

namespace retort::model {
class Tokenizer;
}

namespace retort::rollout {

struct GenerationParams {
  SamplingParams sampling;
  int64_t max_new_tokens = 256;             // sampled tokens per sequence (appended ones not counted)
  std::vector<int64_t> stop_token_ids;      // finish after emitting one (it is kept in tokens)
  std::vector<std::string> stop_strings;    // finish when the generated text gains one (needs decode)
  std::vector<std::string> pause_strings;   // pause when the generated text gains one (needs decode)
  uint64_t seed = 0;                        // seeds the sampling generator at start()
  int64_t pad_token_id = 0;                 // filler id for padding slots (never attended)
  int64_t append_capacity = 512;            // cache slots reserved per sequence for appended tokens
  bool use_cache = true;                    // false: the full-forward reference path
};

enum class SequenceStatus { running, paused, finished };
enum class FinishReason { none, stop_token, stop_string, max_new_tokens, cache_full };
const char* to_string(FinishReason reason);

struct Sequence {
  std::vector<int64_t> prompt;
  std::vector<int64_t> tokens;               // after the prompt: sampled and appended, in order
  std::vector<char> sampled;                 // per token: 1 = sampled by the policy, 0 = appended
  std::vector<float> logprobs;               // per token (0 for appended), see sampling.h
  std::vector<float> logprobs_untempered;    // per token (0 for appended)
  SequenceStatus status = SequenceStatus::running;
  FinishReason finish_reason = FinishReason::none;
  std::string matched_string;                // the stop or pause string that ended the segment
  int64_t sampled_count = 0;
  size_t segment_begin = 0;                  // index in tokens where the current sampled run began
};

// Decodes token ids to text (stop/pause strings are matched on it).
using DecodeFn = std::function<std::string(const std::vector<int64_t>&)>;
// The raw bytes of the tokens (Tokenizer::token_bytes concatenated; no U+FFFD repair, so a partial
// UTF-8 character never hides an ASCII stop string). TOKENIZER must outlive the function.
DecodeFn tokenizer_decoder(const model::Tokenizer& tokenizer);

class Sampler {
 public:
  // POLICY must outlive the sampler. DECODE is required when stop or pause strings are given.
  Sampler(const model::Policy& policy, GenerationParams params, DecodeFn decode = {});
  ~Sampler();

  // Begins a batch: seeds the generator, allocates the cache, runs the left-padded prefill.
  // IMAGES[i] fill the <|image|> placeholders of prompt i (empty: no images).
  void start(const std::vector<std::vector<int64_t>>& prompts,
             const std::vector<std::vector<chem::Image>>& images = {});
  // Decodes until every sequence is paused or finished.
  void run();
  // Appends TOKENS (a tool response) to paused sequence I and makes it running again; with the
  // cache only these tokens are run through the model. A sequence whose cache cannot hold them
  // finishes with FinishReason::cache_full (returns false).
  bool append_and_resume(int64_t i, const std::vector<int64_t>& tokens);
  // Ends a paused sequence (the caller decided not to resume it).
  void finish(int64_t i);

  int64_t size() const { return static_cast<int64_t>(sequences_.size()); }
  const Sequence& sequence(int64_t i) const { return sequences_.at(i); }
  const std::vector<Sequence>& sequences() const { return sequences_; }
  // The logits (V,) fp32 the next token of sequence I will be drawn from.
  at::Tensor next_logits(int64_t i) const;

 private:
  void prefill();
  void step();
  void full_forward_logits();  // reference path: pending logits from a full forward of every row
  void after_sample(int64_t i, int64_t token, float logprob, float logprob_untempered);
  bool ends_with_new_match(const Sequence& s, const std::vector<std::string>& needles, std::string& matched) const;

  const model::Policy& policy_;
  GenerationParams params_;
  DecodeFn decode_;
  std::vector<Sequence> sequences_;
  std::vector<std::vector<chem::Image>> images_;
  std::unique_ptr<model::KvCache> cache_;
  at::Tensor pending_logits_;  // (B, V) fp32: next-token logits per sequence
  at::Generator generator_;
  size_t longest_needle_ = 0;
};

// One call: start + run (sequences that pause are returned paused).
std::vector<Sequence> generate(const model::Policy& policy, const std::vector<std::vector<int64_t>>& prompts,
                               const GenerationParams& params, DecodeFn decode = {});

}  // namespace retort::rollout
