// Known answers for the tokenizer's building blocks: GPT-2's byte table, UTF-8 repair (as Python's
// bytes.decode("utf-8", "replace")), NFC, and concurrent encoding.
#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "model/bpe_byte_level.h"
#include "model/tokenizer.h"
#include "model/tokenizer_normalizer.h"
#include "model/tokenizer_utf8.h"

namespace retort::model {
namespace {

TEST(ByteLevelTable, Gpt2KnownAnswers) {
  const auto& table = byte_level::byte_to_unicode();
  EXPECT_EQ(table[' '], "Ġ");    // U+0120
  EXPECT_EQ(table['\n'], "Ċ");   // U+010A
  EXPECT_EQ(table['\t'], "ĉ");   // U+0109
  EXPECT_EQ(table[0], "Ā");      // U+0100
  EXPECT_EQ(table['A'], "A");
  EXPECT_EQ(table[0xAD], "Ń");   // U+0143, the last remapped byte (soft hyphen)
  EXPECT_EQ(table[0xE9], "é");   // printable Latin-1 maps to itself
  for (int b = 0; b < 256; ++b) {
    std::size_t pos = 0;
    EXPECT_EQ(byte_level::unicode_to_byte(utf8::next_code_point(table[b], pos)), b);
  }
  EXPECT_EQ(byte_level::unicode_to_byte(U'中'), -1);
}

TEST(Utf8Repair, MaximalSubpartsBecomeOneReplacementEach) {
  const std::string fffd = "\xEF\xBF\xBD";
  // Python: b"a\xe2\x82b".decode("utf-8", "replace") == "a\ufffdb" (one subpart: e2 82).
  EXPECT_EQ(utf8::repair_lossy("a\xE2\x82" "b"), "a" + fffd + "b");
  // b"\xf0\x80\x80" -> three: F0 cannot be followed by 80.
  EXPECT_EQ(utf8::repair_lossy("\xF0\x80\x80"), fffd + fffd + fffd);
  // A UTF-16 surrogate encoded in UTF-8 (ed a0 80) -> three.
  EXPECT_EQ(utf8::repair_lossy("\xED\xA0\x80"), fffd + fffd + fffd);
  // Overlong "/" (c0 af) -> two.
  EXPECT_EQ(utf8::repair_lossy("\xC0\xAF"), fffd + fffd);
  // Truncated 4-byte sequence at the end -> one.
  EXPECT_EQ(utf8::repair_lossy("x\xF0\x9F\x98"), "x" + fffd);
  EXPECT_EQ(utf8::repair_lossy("ok \xF0\x9F\x98\x80"), "ok \xF0\x9F\x98\x80");
  EXPECT_FALSE(utf8::is_valid("\xFF"));
  EXPECT_TRUE(utf8::is_valid("caf\xC3\xA9"));
}

TEST(NormalizerNfc, ComposesLikeUnicodedata) {
  auto nfc = Normalizer::from_json(nlohmann::json{{"type", "NFC"}}, "t");
  // unicodedata.normalize("NFC", "e\u0301") == "\u00e9"; Hangul jamo compose to one syllable.
  EXPECT_EQ(nfc.apply("e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(nfc.apply("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), "\xEA\xB0\x81");
  EXPECT_EQ(nfc.apply("\xEF\xAC\x81"), "\xEF\xAC\x81");  // NFC keeps the ﬁ ligature (NFKC would not)
  auto nfkc = Normalizer::from_json(nlohmann::json{{"type", "NFKC"}}, "t");
  EXPECT_EQ(nfkc.apply("\xEF\xAC\x81"), "fi");
}

TEST(TokenizerThreads, ConcurrentEncodeGivesTheSameIds) {
  auto tokenizer = Tokenizer::tiny_default();
  const std::string text =
      "A 60-year-old man takes warfarin; INR 4.2. CC(=O)Oc1ccccc1C(=O)O <think>bleeding risk</think><answer>C</answer>";
  const auto expected = tokenizer.encode(text);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 200; ++i)
        if (tokenizer.encode(text + std::to_string(i % 7)).size() < expected.size()) ++mismatches[k];
      if (tokenizer.encode(text) != expected) ++mismatches[k];
    });
  for (auto& t : threads) t.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
  EXPECT_EQ(tokenizer.decode(expected), text);
}

}  // namespace
}  // namespace retort::model

namespace retort::model {
namespace {

// Stop-string matching in the sampler works on token bytes: their concatenation, repaired, is decode().
TEST(TokenizerTokenBytes, ConcatenationRepairedEqualsDecode) {
  auto tokenizer = Tokenizer::tiny_default();
  const std::string text = "Dose 5 mg/kg — β-lactam 中文 😀 <tool_call>\n{\"name\": \"x\"}</tool_call><|im_end|>";
  auto ids = tokenizer.encode(text);
  std::string bytes;
  for (int32_t id : ids) bytes += tokenizer.token_bytes(id);
  EXPECT_EQ(bytes, text);
  EXPECT_EQ(tokenizer.token_bytes(tokenizer.require_token_id("<|im_end|>")), "<|im_end|>");
  EXPECT_EQ(tokenizer.token_bytes(-1), "");
  EXPECT_EQ(tokenizer.token_bytes(tokenizer.vocab_size()), "");
  // A lone byte of a multi-byte character is a partial sequence; decode repairs it.
  auto lone = tokenizer.token_to_id("\xC3\xA2");  // "â" is byte 0xE2 in GPT-2's table
  ASSERT_TRUE(lone.has_value());
  EXPECT_EQ(tokenizer.token_bytes(*lone), "\xE2");
  std::vector<int32_t> one{*lone};
  EXPECT_EQ(tokenizer.decode(one), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace retort::model
