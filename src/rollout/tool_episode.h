// Multi-turn rollouts with tool calls (issue 7): the sampler pauses a sequence when its text gains
// "</tool_call>"; the call in the text sampled since the last tool turn is parsed and run (tools/,
// per-call deadline), and its answer is appended as a Qwen2.5 ChatML tool turn
//   <|im_end|>\n<|im_start|>user\n<tool_response>\n{"ok": ...}\n</tool_response><|im_end|>\n<|im_start|>assistant\n
// (the layout model/chat_template renders for an assistant tool call followed by a "tool" message), with
// sampled flag 0 (loss mask 0); generation then resumes from the KV cache. Calls of different paused
// sequences run in parallel on a small pool of threads. Failures (malformed call, unknown tool, bad
// arguments, invalid SMILES, timeout, crash, the call limit) reach the model as an ok=false response
// and the episode continues.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/episode.h"
#include "rollout/sampler.h"
#include "tools/registry.h"
#include "tools/tool_call_parser.h"

namespace retort::model {
class Tokenizer;
}

namespace retort::rollout {

struct ToolEpisodeLimits {
  int64_t max_calls = 4;                  // tool calls run per episode; a further call gets an error turn,
                                          // and a call after that ends the episode
  int64_t max_response_tokens = 256;      // tokens of the response JSON; longer ones are cut and end in
                                          // " ...[truncated N tokens]"
  std::chrono::milliseconds deadline{10000};  // per call
  int threads = 4;                        // tool calls run at once (across the batch's sequences)
};

// The part of a sampled batch the episode loop needs; the Sampler satisfies it through SamplerBatch,
// tests through a scripted batch.
class PausableBatch {
 public:
  virtual ~PausableBatch() = default;
  virtual void run() = 0;  // until every sequence is paused or finished
  virtual int64_t size() const = 0;
  virtual const Sequence& sequence(int64_t i) const = 0;
  virtual bool append_and_resume(int64_t i, const std::vector<int64_t>& tokens) = 0;
  virtual void finish(int64_t i) = 0;
};

class SamplerBatch : public PausableBatch {
 public:
  explicit SamplerBatch(Sampler& sampler) : sampler_(sampler) {}
  void run() override { sampler_.run(); }
  int64_t size() const override { return sampler_.size(); }
  const Sequence& sequence(int64_t i) const override { return sampler_.sequence(i); }
  bool append_and_resume(int64_t i, const std::vector<int64_t>& tokens) override {
    return sampler_.append_and_resume(i, tokens);
  }
  void finish(int64_t i) override { sampler_.finish(i); }

 private:
  Sampler& sampler_;
};

// The token ids of one tool turn around BODY (the response JSON), BODY cut to MAX_BODY_TOKENS tokens
// with the truncation marker. Shared by rollouts and SFT traces so both see the same layout.
std::vector<int64_t> tool_turn_ids(const model::Tokenizer& tokenizer, const std::string& body, int64_t max_body_tokens);
// The text of tool_turn_ids' prefix and suffix (for building traces and reading transcripts).
std::string tool_turn_prefix();  // "<|im_end|>\n<|im_start|>user\n<tool_response>\n"
std::string tool_turn_suffix();  // "\n</tool_response><|im_end|>\n<|im_start|>assistant\n"
// Cache slots a sampler needs per sequence for LIMITS' appended tool turns.
int64_t tool_append_capacity(const ToolEpisodeLimits& limits);

class ToolEpisodeRunner {
 public:
  // REGISTRY and TOKENIZER must outlive the runner.
  ToolEpisodeRunner(const tools::ToolRegistry& registry, const model::Tokenizer& tokenizer, ToolEpisodeLimits limits);

  // Runs BATCH to the end, answering every pause at "</tool_call>"; returns the calls of each
  // sequence in order (ToolCallRecord::response is the text the model read). Never throws for model
  // output; a paused sequence whose turn does not fit the cache ends (FinishReason::cache_full).
  std::vector<std::vector<ToolCallRecord>> run(PausableBatch& batch) const;

  // One call: the last <tool_call> block of SEGMENT (text sampled since the last tool turn), run; the
  // record's `response` is the JSON body before the token limit (run() replaces it with the
  // <tool_response> block as appended). Thread-safe.
  ToolCallRecord answer(const std::string& segment) const;

  const ToolEpisodeLimits& limits() const { return limits_; }
  static constexpr const char* pause_string = "</tool_call>";

 private:
  const tools::ToolRegistry& registry_;
  const model::Tokenizer& tokenizer_;
  ToolEpisodeLimits limits_;
  tools::ToolCallParser parser_;
};

}  // namespace retort::rollout
