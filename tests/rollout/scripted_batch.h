// A PausableBatch whose "sampled" text is scripted (tests of the tool episode loop without a model):
// each run() gives every running sequence its next scripted turn as sampled tokens; a turn ending in
// "</tool_call>" pauses the sequence, any other turn (or running out of turns) finishes it.
#pragma once
#include <string>
#include <vector>

#include "model/tokenizer.h"
#include "rollout/tool_episode.h"

namespace retort::rollout::test {

class ScriptedBatch : public PausableBatch {
 public:
  ScriptedBatch(const model::Tokenizer& tokenizer, std::vector<std::vector<std::string>> turns)
      : tokenizer_(tokenizer), turns_(std::move(turns)), next_(turns_.size(), 0), sequences_(turns_.size()) {}

  void run() override {
    ++runs;
    for (size_t i = 0; i < sequences_.size(); ++i) {
      Sequence& s = sequences_[i];
      if (s.status != SequenceStatus::running) continue;
      if (next_[i] >= turns_[i].size()) {
        s.status = SequenceStatus::finished;
        s.finish_reason = FinishReason::max_new_tokens;
        continue;
      }
      const std::string& text = turns_[i][next_[i]++];
      for (int32_t id : tokenizer_.encode(text)) {
        s.tokens.push_back(id);
        s.sampled.push_back(1);
        s.logprobs.push_back(-1.0f);
        s.logprobs_untempered.push_back(-1.0f);
        ++s.sampled_count;
      }
      const std::string pause = ToolEpisodeRunner::pause_string;
      bool pauses = text.size() >= pause.size() && text.compare(text.size() - pause.size(), pause.size(), pause) == 0;
      s.status = pauses ? SequenceStatus::paused : SequenceStatus::finished;
      s.finish_reason = pauses ? FinishReason::none : FinishReason::stop_token;
    }
  }
  int64_t size() const override { return static_cast<int64_t>(sequences_.size()); }
  const Sequence& sequence(int64_t i) const override { return sequences_.at(i); }
  bool append_and_resume(int64_t i, const std::vector<int64_t>& tokens) override {
    Sequence& s = sequences_.at(i);
    s.tokens.insert(s.tokens.end(), tokens.begin(), tokens.end());
    s.sampled.insert(s.sampled.end(), tokens.size(), 0);
    s.logprobs.insert(s.logprobs.end(), tokens.size(), 0.0f);
    s.logprobs_untempered.insert(s.logprobs_untempered.end(), tokens.size(), 0.0f);
    s.status = SequenceStatus::running;
    s.segment_begin = s.tokens.size();
    return true;
  }
  void finish(int64_t i) override {
    sequences_.at(i).status = SequenceStatus::finished;
    sequences_.at(i).finish_reason = FinishReason::stop_string;
  }
  std::string text(int64_t i) const {
    std::vector<int32_t> ids(sequences_.at(i).tokens.begin(), sequences_.at(i).tokens.end());
    return tokenizer_.decode(ids, false);
  }
  // The decoded text of the appended (sampled = 0) tokens of sequence I, runs joined with "|".
  std::string appended_text(int64_t i) const {
    const Sequence& s = sequences_.at(i);
    std::string out;
    std::vector<int32_t> run;
    for (size_t t = 0; t <= s.tokens.size(); ++t) {
      if (t < s.tokens.size() && !s.sampled[t]) {
        run.push_back(static_cast<int32_t>(s.tokens[t]));
      } else if (!run.empty()) {
        out += (out.empty() ? "" : "|") + tokenizer_.decode(run, false);
        run.clear();
      }
    }
    return out;
  }
  int runs = 0;

 private:
  const model::Tokenizer& tokenizer_;
  std::vector<std::vector<std::string>> turns_;
  std::vector<size_t> next_;
  std::vector<Sequence> sequences_;
};

}  // namespace retort::rollout::test
