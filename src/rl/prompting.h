// From an Example to model inputs: the ChatML prompt (system + user turn, generation prompt) as token
// ids with the single <|image|> placeholder expanded to the vision encoder's patch count, the rendered
// molecule picture, and the token ids of a completion (ended by <|im_end|>) for SFT and scoring.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chem/image.h"
#include "core/example.h"
#include "model/tokenizer.h"
#include "rl/tool_settings.h"

namespace retort::rl {

struct PromptInputs {
  std::vector<int64_t> ids;          // (T_prompt,)
  std::vector<chem::Image> images;   // one per image placeholder group (0 or 1 here)
};

class PromptBuilder {
 public:
  // IMAGE_TOKENS: visual tokens per image (0 = a text-only policy: placeholders are dropped).
  PromptBuilder(const model::Tokenizer& tokenizer, std::string system_prompt, int64_t image_tokens);
  // Throws DataError naming the example when its molecule cannot be drawn.
  PromptInputs build(const Example& example) const;
  // Completion text -> ids, with <|im_end|> appended (the turn's end, which the policy must learn).
  std::vector<int64_t> completion_ids(const std::string& completion) const;
  // Sampled ids -> text (special tokens dropped: <|im_end|> is not part of the answer).
  std::string completion_text(const std::vector<int64_t>& ids) const;
  int64_t end_of_turn_id() const { return im_end_; }
  int64_t end_of_text_id() const { return end_of_text_; }
  int64_t pad_id() const { return pad_; }
  const model::Tokenizer& tokenizer() const { return tokenizer_; }
  // Tools on (issue 7): the allowed tools' schemas are rendered into the system prompt's "# Tools" block
  // (Qwen/Hermes) and sample_rollouts answers the calls under these settings. Default: no tools.
  void set_tools(const ToolSettings& settings);
  const ToolSettings& tool_settings() const { return tool_settings_; }

 private:
  const model::Tokenizer& tokenizer_;
  std::string system_prompt_;
  int64_t image_tokens_;
  int64_t image_id_ = -1, im_end_ = -1, end_of_text_ = -1, pad_ = 0;
  ToolSettings tool_settings_;
  std::vector<nlohmann::ordered_json> tools_;  // schemas, empty when tools are off
};

}  // namespace retort::rl
