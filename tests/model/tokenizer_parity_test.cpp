// Tokenizer parity with the Hugging Face `tokenizers` library: a Qwen2-style tokenizer.json trained by
// tokenizers (NFC, Qwen2 Split regex + ByteLevel, BPE, added special tokens with several flag
// combinations) and retort's tiny default tokenizer must encode and decode a corpus of chemistry and
// medical text, SMILES, unicode and whitespace edge cases exactly as tokenizers does.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/tokenizer.h"
#include "tokenizer_test_support.h"

namespace retort::model {
namespace {

using nlohmann::json;

struct Reference {
  std::string tokenizer_json;
  json expected;
};

// Builds the Qwen2-style tokenizer with tokenizers and the expected encodings, once per test run.
class TokenizerParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new tokenizer_testing::TempDir("retort_tokenizer_parity");
    auto built = tokenizer_testing::run_python_script("tokenizer_reference.py", "build " + tokenizer_testing::quote(dir_->path()));
    ASSERT_EQ(built.exit_code, 0) << built.output;
    qwen_ = new Reference{*dir_ / "tokenizer.json", {}};
    qwen_->expected = expectations(qwen_->tokenizer_json, *dir_ / "expected_qwen.json");
  }
  static void TearDownTestSuite() {
    delete qwen_;
    delete tiny_;
    delete dir_;
  }
  static json expectations(const std::string& tokenizer_json, const std::string& out) {
    auto r = tokenizer_testing::run_python_script("tokenizer_reference.py",
                                        "expect " + tokenizer_testing::quote(tokenizer_json) + " " + tokenizer_testing::quote(out));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return json::parse(tokenizer_testing::read_file(out));
  }

  // The tiny tokenizer's expectations, computed on first use (the asset must exist).
  static const Reference& tiny() {
    if (tiny_ == nullptr) {
      tiny_ = new Reference{Tokenizer::tiny_default_path(), {}};
      EXPECT_TRUE(tokenizer_testing::file_exists(tiny_->tokenizer_json)) << tiny_->tokenizer_json;
      tiny_->expected = expectations(tiny_->tokenizer_json, *dir_ / "expected_tiny.json");
    }
    return *tiny_;
  }

  static void expect_encode_decode_parity(const Tokenizer& tokenizer, const json& expected) {
    ASSERT_GT(expected["cases"].size(), 50u);
    for (const auto& c : expected["cases"]) {
      const std::string text = c["text"];
      auto ids = tokenizer.encode(text);
      EXPECT_EQ(ids, c["ids"].get<std::vector<int32_t>>()) << "text: " << json(text).dump();
      auto reference_ids = c["ids"].get<std::vector<int32_t>>();
      EXPECT_EQ(tokenizer.decode(reference_ids, false), c["decoded"].get<std::string>()) << "text: " << json(text).dump();
      EXPECT_EQ(tokenizer.decode(reference_ids, true), c["decoded_skip"].get<std::string>()) << "text: " << json(text).dump();
    }
  }

  static void expect_random_decode_parity(const Tokenizer& tokenizer, const json& expected) {
    ASSERT_GT(expected["random_decodes"].size(), 100u);
    for (const auto& c : expected["random_decodes"]) {
      auto ids = c["ids"].get<std::vector<int32_t>>();
      EXPECT_EQ(tokenizer.decode(ids, false), c["decoded"].get<std::string>()) << "ids: " << c["ids"].dump();
      EXPECT_EQ(tokenizer.decode(ids, true), c["decoded_skip"].get<std::string>()) << "ids: " << c["ids"].dump();
    }
  }

  static void expect_vocab_parity(const Tokenizer& tokenizer, const json& expected) {
    EXPECT_EQ(tokenizer.vocab_size(), expected["vocab_size"].get<int32_t>());
    for (auto it = expected["vocab"].begin(); it != expected["vocab"].end(); ++it) {
      EXPECT_EQ(tokenizer.token_to_id(it.key()), std::optional<int32_t>(it.value().get<int32_t>())) << it.key();
      EXPECT_EQ(tokenizer.id_to_token(it.value().get<int32_t>()), std::optional<std::string>(it.key()));
    }
    EXPECT_EQ(tokenizer.token_to_id("definitely not a token \x01"), std::nullopt);
    EXPECT_EQ(tokenizer.id_to_token(tokenizer.vocab_size()), std::nullopt);
    EXPECT_EQ(tokenizer.id_to_token(-1), std::nullopt);
  }

  static tokenizer_testing::TempDir* dir_;
  static Reference* qwen_;
  static Reference* tiny_;
};
tokenizer_testing::TempDir* TokenizerParity::dir_ = nullptr;
Reference* TokenizerParity::qwen_ = nullptr;
Reference* TokenizerParity::tiny_ = nullptr;

TEST_F(TokenizerParity, Qwen2StyleEncodeAndDecodeEqualTokenizers) {
  auto tokenizer = Tokenizer::from_file(qwen_->tokenizer_json);
  expect_encode_decode_parity(tokenizer, qwen_->expected);
}

TEST_F(TokenizerParity, Qwen2StyleRandomIdDecodesEqualTokenizers) {
  auto tokenizer = Tokenizer::from_file(qwen_->tokenizer_json);
  expect_random_decode_parity(tokenizer, qwen_->expected);
}

TEST_F(TokenizerParity, Qwen2StyleVocabEqualsTokenizers) {
  auto tokenizer = Tokenizer::from_file(qwen_->tokenizer_json);
  expect_vocab_parity(tokenizer, qwen_->expected);
  EXPECT_TRUE(tokenizer.is_special(tokenizer.require_token_id("<|im_end|>")));
  EXPECT_FALSE(tokenizer.is_special(tokenizer.require_token_id("<tool_call>")));
}

// Older tokenizer.json files (Qwen2's among them) write merges as "left right" strings.
TEST_F(TokenizerParity, LegacyStringMergesEncodeTheSame) {
  json file = json::parse(tokenizer_testing::read_file(qwen_->tokenizer_json));
  json merges = json::array();
  for (const auto& m : file["model"]["merges"]) merges.push_back(m[0].get<std::string>() + " " + m[1].get<std::string>());
  ASSERT_GT(merges.size(), 100u);
  file["model"]["merges"] = merges;
  auto tokenizer = Tokenizer::from_json_text(file.dump(), "legacy-merges tokenizer.json");
  expect_encode_decode_parity(tokenizer, qwen_->expected);
}

TEST_F(TokenizerParity, TinyDefaultEncodeDecodeAndVocabEqualTokenizers) {
  auto tokenizer = Tokenizer::tiny_default();
  expect_encode_decode_parity(tokenizer, tiny().expected);
  expect_random_decode_parity(tokenizer, tiny().expected);
  expect_vocab_parity(tokenizer, tiny().expected);
}

// The tags the reward functions and the sampler look for are single tokens of the tiny tokenizer.
TEST_F(TokenizerParity, TinyDefaultTagsAreSingleTokens) {
  auto tokenizer = Tokenizer::tiny_default();
  for (const char* tag : {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>", "<tool_response>",
                          "</tool_response>", "<think>", "</think>", "<answer>", "</answer>", "<|image|>",
                          "<|vision_start|>", "<|vision_end|>", "<|pad|>"}) {
    auto id = tokenizer.token_to_id(tag);
    ASSERT_TRUE(id.has_value()) << tag;
    EXPECT_EQ(tokenizer.encode(tag), std::vector<int32_t>{*id}) << tag;
    auto wrapped = tokenizer.encode(std::string("CCO") + tag + "\n");
    ASSERT_GE(wrapped.size(), 3u) << tag;
    EXPECT_EQ(std::count(wrapped.begin(), wrapped.end(), *id), 1) << tag;
  }
}

}  // namespace
}  // namespace retort::model
