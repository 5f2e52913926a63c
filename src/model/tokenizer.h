// retort::model::Tokenizer: a Hugging Face tokenizer.json (byte-level BPE as Qwen2 / Qwen2.5 ship it)
// with the `tokenizers` library's encode and decode: added/special tokens split out first, NFC
// normalization, the Split + ByteLevel pre-tokenizer, ranked BPE merges (cached per word), and the
// byte-level decoder with U+FFFD for invalid UTF-8. Thread-safe for concurrent encode/decode.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/bpe_model.h"
#include "model/pretokenizer.h"
#include "model/tokenizer_added_tokens.h"
#include "model/tokenizer_error.h"
#include "model/tokenizer_normalizer.h"

namespace retort::model {

class Tokenizer {
 public:
  // Loads tokenizer.json. Throws TokenizerError naming the file and the field for malformed or
  // unsupported content, IoError-like TokenizerError when the file cannot be read.
  static Tokenizer from_file(const std::string& path);
  // Parses tokenizer.json text; `origin` names it in error messages.
  static Tokenizer from_json_text(std::string_view json_text, const std::string& origin = "tokenizer.json");
  // The tiny byte-level BPE tokenizer retort ships (src/model/assets/tiny_tokenizer.json): read from
  // $RETORT_TINY_TOKENIZER if set, else from the source tree this library was built from.
  static Tokenizer tiny_default();
  static std::string tiny_default_path();

  // Token ids of the text. Added and special tokens written in the text (e.g. "<|im_end|>") become
  // their ids. Invalid UTF-8 input bytes are first replaced by U+FFFD. No BOS/EOS is added.
  std::vector<int32_t> encode(std::string_view text) const;
  // Text of the ids; ids unknown to the vocabulary are skipped, as the `tokenizers` library does.
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens = false) const;

  // The raw bytes a token stands for (byte-level decoded, possibly a partial UTF-8 sequence; an added
  // token's content), or "" for an unknown id. Concatenating them and repairing invalid UTF-8 gives
  // decode(): the sampler matches stop strings on these bytes as tokens arrive.
  const std::string& token_bytes(int32_t id) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(int32_t id) const;
  // The id of a token that must exist (e.g. "<|im_end|>"); throws TokenizerError naming it otherwise.
  int32_t require_token_id(std::string_view token) const;
  bool is_special(int32_t id) const;
  // One past the largest id, added tokens included: the smallest embedding table that fits.
  int32_t vocab_size() const { return vocab_size_; }
  const std::vector<AddedToken>& added_tokens() const { return added_tokens_; }

 private:
  Tokenizer() = default;
  void encode_plain(std::string_view normalized_text, std::vector<int32_t>& ids) const;

  std::unique_ptr<BpeModel> model_;
  Normalizer normalizer_;
  PreTokenizer pre_tokenizer_;
  bool byte_level_decoder_ = false;
  std::vector<AddedToken> added_tokens_;
  std::unordered_map<int32_t, std::size_t> added_by_id_;            // id -> index in added_tokens_
  std::unordered_map<std::string, std::size_t> added_by_content_;   // content -> index in added_tokens_
  AddedTokenSplitter raw_splitter_;         // tokens with normalized == false, matched in the raw text
  AddedTokenSplitter normalized_splitter_;  // tokens with normalized == true, matched after normalization
  int32_t vocab_size_ = 0;
  std::vector<std::string> token_bytes_;  // by id, filled at load
  std::vector<bool> known_id_;            // by id: in the vocab or an added token
  std::vector<bool> special_id_;          // by id: skipped by decode(skip_special_tokens = true)
};

}  // namespace retort::model
