// The "pre_tokenizer" of a tokenizer.json: cuts normalized text into words before BPE. Supported:
// Split (regex or string pattern; Isolated / Removed / MergedWithPrevious / MergedWithNext /
// Contiguous, invert), ByteLevel (add_prefix_space, use_regex with GPT-2's pattern) and Sequence of
// these. Qwen2's is Sequence[Split(Qwen2 regex, Isolated), ByteLevel(add_prefix_space false, use_regex false)].
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/pretokenizer_regex.h"

namespace retort::model {

class PreTokenizer {
 public:
  enum class Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };

  PreTokenizer() = default;  // no pre-tokenizer: the text is one word
  // From the "pre_tokenizer" field (null allowed). Throws TokenizerError naming `origin` and the field.
  static PreTokenizer from_json(const nlohmann::json& node, const std::string& origin);

  // Appends the words of valid UTF-8 text (non-empty, in order) to `words`.
  void split(std::string_view text, std::vector<std::string>& words) const;
  // True when a ByteLevel step is present: BPE then starts from bytes shown through the GPT-2 table.
  bool byte_level() const { return byte_level_; }

 private:
  struct Step {
    enum class Kind { Split, BytePrefixSpace } kind;
    std::shared_ptr<PretokenizerRegex> regex;  // Split only
    Behavior behavior = Behavior::Isolated;
    bool invert = false;
  };
  void add_steps(const nlohmann::json& node, const std::string& where);
  static void apply_split(const Step& step, std::string_view piece, std::vector<std::string>& out);

  std::vector<Step> steps_;
  bool byte_level_ = false;
};

}  // namespace retort::model
