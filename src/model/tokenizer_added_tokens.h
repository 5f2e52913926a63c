// Added tokens of a tokenizer.json ("added_tokens": special tokens like <|im_end|> and extra tokens like
// <tool_call>): found in the text before BPE with leftmost-longest matching, honouring the lstrip,
// rstrip and single_word flags the way the `tokenizers` library's AddedVocabulary does.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::model {

struct AddedToken {
  int32_t id = -1;
  std::string content;
  bool single_word = false;  // only matches when not inside a word
  bool lstrip = false;       // swallows whitespace on its left
  bool rstrip = false;       // swallows whitespace on its right
  bool normalized = false;   // matched in the normalized text (else in the raw text)
  bool special = false;      // dropped by decode(skip_special_tokens = true)
};

class AddedTokenSplitter {
 public:
  struct Segment {
    std::size_t start, end;  // byte range in the text that was split
    int32_t token_id;        // -1 for plain text
  };

  AddedTokenSplitter() = default;
  // `patterns[i]` is what is searched for (the content, normalized for normalized tokens) of tokens[i].
  AddedTokenSplitter(std::vector<AddedToken> tokens, std::vector<std::string> patterns);

  bool empty() const { return tokens_.empty(); }
  // Cuts valid UTF-8 text into plain-text segments and added-token segments, in order, covering it all
  // except the whitespace lstrip/rstrip tokens swallow. Empty text gives no segments.
  void split(std::string_view text, std::vector<Segment>& out) const;

 private:
  std::vector<AddedToken> tokens_;
  std::vector<std::string> patterns_;
  std::array<std::vector<int>, 256> by_first_byte_;  // token indices, longest pattern first
};

}  // namespace retort::model
