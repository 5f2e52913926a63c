// Malformed or unsupported tokenizer.json files fail with one TokenizerError that names the file and
// the field; a small hand-made tokenizer gives hand-checked encodings.
#include <gtest/gtest.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "model/tokenizer.h"

namespace retort::model {
namespace {

using nlohmann::json;

// A minimal valid byte-level BPE tokenizer.json: "Ġ" is the byte-level form of a space.
json minimal_tokenizer() {
  return json::parse(R"({
    "version": "1.0",
    "added_tokens": [{"id": 7, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false,
                      "normalized": false, "special": true}],
    "normalizer": {"type": "NFC"},
    "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
      {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},
       "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]},
    "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
    "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
    "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "",
              "end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
              "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "Ġ": 5, "Ġab": 6},
              "merges": ["b c", "a b", ["Ġ", "ab"]]}
  })");
}

void expect_error(const std::function<void(json&)>& corrupt, const std::string& expected_fragment) {
  json file = minimal_tokenizer();
  corrupt(file);
  try {
    Tokenizer::from_json_text(file.dump(), "bad/tokenizer.json");
    ADD_FAILURE() << "no error; expected one containing: " << expected_fragment;
  } catch (const TokenizerError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("bad/tokenizer.json: ", 0), 0u) << message;
    EXPECT_NE(message.find(expected_fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
}

TEST(TokenizerKnownAnswers, MinimalTokenizerEncodesAndDecodes) {
  auto t = Tokenizer::from_json_text(minimal_tokenizer().dump());
  // "ab ab" splits into "ab" and " ab"; "b c" (rank 0) beats "a b" (rank 1) in "abc"; "d" is not in
  // the vocab and no unk token is set, so it is dropped.
  EXPECT_EQ(t.encode("ab ab"), (std::vector<int32_t>{3, 6}));
  EXPECT_EQ(t.encode("abc"), (std::vector<int32_t>{0, 4}));
  EXPECT_EQ(t.encode("abd"), (std::vector<int32_t>{3}));
  EXPECT_EQ(t.encode("ab<|im_end|> ab"), (std::vector<int32_t>{3, 7, 6}));
  EXPECT_EQ(t.encode(""), std::vector<int32_t>{});
  std::vector<int32_t> ids{3, 6, 7, 99, 2};
  EXPECT_EQ(t.decode(ids), "ab ab<|im_end|>c");
  EXPECT_EQ(t.decode(ids, true), "ab abc");
  EXPECT_EQ(t.vocab_size(), 8);
  EXPECT_EQ(t.token_to_id("Ġab"), 6);
  EXPECT_EQ(t.id_to_token(7), "<|im_end|>");
  EXPECT_THROW(t.require_token_id("<|im_start|>"), TokenizerError);
}

TEST(TokenizerKnownAnswers, InvalidUtf8InputIsRepairedLikePython) {
  auto t = Tokenizer::from_json_text(minimal_tokenizer().dump());
  // b"ab\xffab".decode("utf-8", "replace") == "ab\ufffdab"; U+FFFD's bytes are not in this vocab.
  EXPECT_EQ(t.encode("ab\xff" "ab"), (std::vector<int32_t>{3, 3}));
}

TEST(TokenizerErrors, NamesFileAndField) {
  expect_error([](json& f) { f = json::array(); }, "expected a JSON object");
  expect_error([](json& f) { f.erase("model"); }, "missing field \"model\"");
  expect_error([](json& f) { f["model"]["type"] = "WordPiece"; }, "model.type: only \"BPE\"");
  expect_error([](json& f) { f["model"]["vocab"] = json::array(); }, "model.vocab: expected an object");
  expect_error([](json& f) { f["model"]["vocab"]["a"] = "zero"; }, "model.vocab[\"a\"]: expected an integer id");
  expect_error([](json& f) { f["model"]["vocab"]["a"] = 1; }, "model.vocab: id 1 is used by both");
  expect_error([](json& f) { f["model"].erase("merges"); }, "model: missing field \"merges\"");
  expect_error([](json& f) { f["model"]["merges"][0] = "x c"; }, "model.merges[0]: token 'x' is not in model.vocab");
  expect_error([](json& f) { f["model"]["merges"][1] = "ab"; }, "model.merges[1]: expected \"left right\"");
  expect_error([](json& f) { f["model"]["merges"][2] = json::array({"Ġ"}); }, "model.merges[2]: expected");
  expect_error([](json& f) { f["model"]["merges"].push_back("c c"); }, "model.merges[3]: merged token 'cc'");
  expect_error([](json& f) { f["model"]["dropout"] = 0.1; }, "model.dropout");
  expect_error([](json& f) { f["model"]["byte_fallback"] = true; }, "model.byte_fallback");
  expect_error([](json& f) { f["model"]["unk_token"] = "<unk>"; }, "model.unk_token: '<unk>' is not in model.vocab");
  expect_error([](json& f) { f["added_tokens"][0].erase("content"); }, "added_tokens[0]: missing field \"content\"");
  expect_error([](json& f) { f["added_tokens"][0]["id"] = -3; }, "added_tokens[0].id: id -3 is out of range");
  expect_error([](json& f) { f["added_tokens"][0]["id"] = 0; }, "added_tokens[0].id: id 0 is 'a' in model.vocab");
  expect_error([](json& f) { f["added_tokens"][0]["lstrip"] = "yes"; }, "added_tokens[0].lstrip: expected true or false");
  expect_error([](json& f) { f["added_tokens"] = json::object(); }, "added_tokens: expected an array");
  expect_error([](json& f) { f["normalizer"] = {{"type", "Lowercase"}}; }, "normalizer.type: normalizer 'Lowercase'");
  expect_error([](json& f) { f["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed"; },
               "pre_tokenizer.pretokenizers[0].pattern.Regex: regex does not compile");
  expect_error([](json& f) { f["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Sideways"; },
               "pre_tokenizer.pretokenizers[0].behavior: unknown split behavior");
  expect_error([](json& f) { f["pre_tokenizer"] = {{"type", "Whitespace"}}; }, "pre_tokenizer.type: pre-tokenizer 'Whitespace'");
  expect_error([](json& f) { f["decoder"] = {{"type", "WordPiece"}}; }, "decoder.type: decoder 'WordPiece'");
  expect_error([](json& f) { f["post_processor"] = {{"type", "TemplateProcessing"}}; }, "post_processor.type");
}

TEST(TokenizerErrors, UnreadableAndInvalidFiles) {
  try {
    Tokenizer::from_file("/nonexistent/tokenizer.json");
    ADD_FAILURE() << "no error";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tokenizer.json: cannot open"), std::string::npos) << e.what();
  }
  try {
    Tokenizer::from_json_text("{\"model\": ", "cut/tokenizer.json");
    ADD_FAILURE() << "no error";
  } catch (const TokenizerError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cut/tokenizer.json: not valid JSON", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace retort::model
