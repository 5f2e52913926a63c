// The BPE model of a Hugging Face tokenizer.json ("model": {"type": "BPE", ...}): vocab, ranked merges
// and the merge loop of the `tokenizers` library (lowest rank first, leftmost on ties), with a cache of
// already-tokenized words. Byte-level models start each word from one symbol per byte.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace retort::model {

struct BpeOptions {
  std::optional<std::string> unk_token;   // emitted for a symbol missing from the vocab (else dropped)
  std::string continuing_subword_prefix;  // "##"-style prefix of non-initial symbols ("" for GPT-2/Qwen2)
  std::string end_of_word_suffix;         // "</w>"-style suffix of the last symbol ("" for GPT-2/Qwen2)
  bool fuse_unk = false;                  // consecutive unknown symbols become one unk
  bool ignore_merges = false;             // a word that is itself in the vocab is emitted whole
  bool byte_level = true;                 // words are raw bytes shown through the GPT-2 byte table
};

class BpeModel {
 public:
  // merges[i] is the pair merged with rank i. Throws TokenizerError (prefixed by `origin`) when a merge
  // names a token that is not in the vocab or its result is not in the vocab.
  BpeModel(std::unordered_map<std::string, int32_t> vocab, const std::vector<std::pair<std::string, std::string>>& merges,
           BpeOptions options, const std::string& origin);
  BpeModel(BpeModel&&) noexcept;
  BpeModel& operator=(BpeModel&&) noexcept;
  ~BpeModel();

  // Appends the ids of one pre-tokenized word (raw UTF-8 bytes; byte-level mapping is applied inside).
  void tokenize(std::string_view word, std::vector<int32_t>& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(int32_t id) const;  // nullptr when the id is not in the vocab
  const std::unordered_map<std::string, int32_t>& vocab() const { return vocab_; }
  int32_t max_id() const { return static_cast<int32_t>(id_to_token_.size()) - 1; }

 private:
  struct MergeResult {
    uint32_t rank;
    int32_t new_id;
  };
  struct Cache;

  void initial_symbols(std::string_view word, std::vector<int32_t>& ids, std::vector<uint32_t>& lengths) const;
  void merge_word(std::string_view word, std::vector<int32_t>& out) const;
  const MergeResult* find_merge(int32_t left, int32_t right) const;

  std::unordered_map<std::string, int32_t> vocab_;
  std::vector<std::string> id_to_token_;
  std::vector<bool> id_present_;
  std::unordered_map<uint64_t, MergeResult> merges_;
  BpeOptions options_;
  std::optional<int32_t> unk_id_;
  std::array<int32_t, 256> byte_symbol_id_{};  // vocab id of each byte's symbol, -1 if absent
  std::unique_ptr<Cache> cache_;
};

}  // namespace retort::model
