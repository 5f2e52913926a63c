// The generator's character-level SMILES tokenizer (src/al/assets/smiles_tokenizer.json) read by
// model::Tokenizer gives the ids Hugging Face `tokenizers` gives (values printed by
// `tokenizers.Tokenizer.from_file(...).encode(...)`): one token per condition bin, one per character.
#include <gtest/gtest.h>

#include "al/smiles_generator.h"
#include "model/tokenizer.h"

TEST(AlSmilesTokenizer, MatchesHuggingFaceTokenizers) {
  auto tokenizer = retort::model::Tokenizer::from_file(retort::al::generator_tokenizer_path("smiles"));
  std::vector<int32_t> expected{263, 276, 103, 53, 103, 103, 103, 44, 71, 112, 45, 103, 103, 53, 95, 114, 76, 97};
  EXPECT_EQ(tokenizer.encode("<fosc=3><wl=5>c1ccc(Cl)cc1[nH]"), expected);
  EXPECT_EQ(tokenizer.decode(expected), "<fosc=3><wl=5>c1ccc(Cl)cc1[nH]");
  EXPECT_EQ(tokenizer.vocab_size(), 298);
  EXPECT_EQ(tokenizer.require_token_id("<|im_end|>"), 2);
  EXPECT_EQ(tokenizer.require_token_id("<|endoftext|>"), 0);
}
