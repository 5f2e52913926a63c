// A checkpoint directory with retort's tokenizer.json and the tokenizer_config.json it writes loads in
// transformers' AutoTokenizer, which then encodes, decodes and renders chats exactly as retort does.
#include <gtest/gtest.h>

#include "model/chat_template.h"
#include "model/tokenizer_config.h"
#include "tokenizer_test_support.h"

namespace retort::model {
namespace {

using ojson = nlohmann::ordered_json;

TEST(TokenizerConfig, LoadsInTransformersAndAgreesWithRetort) {
  auto tokenizer = Tokenizer::tiny_default();
  tokenizer_testing::TempDir dir("retort_tokenizer_config");
  tokenizer_testing::write_file(dir / "tokenizer.json", tokenizer_testing::read_file(Tokenizer::tiny_default_path()));
  ojson config = make_tokenizer_config(tokenizer);
  EXPECT_EQ(config["eos_token"], "<|im_end|>");
  EXPECT_EQ(config["pad_token"], "<|pad|>");
  tokenizer_testing::write_file(dir / "tokenizer_config.json", config.dump(2));

  const std::vector<std::string> texts{"CC(=O)Oc1ccccc1C(=O)O", "A 45-year-old man with β-blocker use.  \n",
                                       "<think>polar</think><answer>-1.2</answer><|im_end|>", "Émile 中文 😀"};
  const ojson messages = ojson::parse(R"([{"role": "system", "content": "You are a chemist."},
      {"role": "user", "content": "logP of CCO?"},
      {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "logp", "arguments": {"smiles": "CCO"}}}]},
      {"role": "tool", "content": "-0.0014"}])");
  const ojson tools = ojson::parse(R"([{"type": "function", "function": {"name": "logp", "description": "Crippen logP",
      "parameters": {"type": "object", "properties": {"smiles": {"type": "string"}}, "required": ["smiles"]}}}])");
  tokenizer_testing::write_file(dir / "input.json", ojson{{"texts", texts}, {"messages", messages}, {"tools", tools}}.dump());

  auto r = tokenizer_testing::run_python_script("tokenizer_hf_load.py",
                                      tokenizer_testing::quote(dir.path()) + " " + tokenizer_testing::quote(dir / "input.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // transformers may print warnings before the JSON: parse from the first '{' of the last line.
  std::string last_line = r.output.substr(r.output.rfind('\n', r.output.size() - 2) + 1);
  auto expected = nlohmann::json::parse(last_line.substr(last_line.find('{')));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(tokenizer.encode(texts[i]), expected["ids"][i].get<std::vector<int32_t>>()) << texts[i];
    auto ids = tokenizer.encode(texts[i]);
    EXPECT_EQ(tokenizer.decode(ids, true), expected["decoded"][i].get<std::string>()) << texts[i];
  }
  std::vector<ChatMessage> chat;
  for (const auto& m : messages) chat.push_back(chat_message_from_json(m));
  std::vector<ojson> tool_list(tools.begin(), tools.end());
  EXPECT_EQ(ChatTemplate().render(chat, tool_list, true), expected["chat"].get<std::string>());
  EXPECT_EQ(expected["eos_token_id"].get<int32_t>(), tokenizer.require_token_id("<|im_end|>"));
  EXPECT_EQ(expected["pad_token_id"].get<int32_t>(), tokenizer.require_token_id("<|pad|>"));
}

TEST(TokenizerConfig, MissingEosTokenIsAnError) {
  auto tokenizer = Tokenizer::tiny_default();
  TokenizerConfigOptions options;
  options.eos_token = "</s>";
  EXPECT_THROW(make_tokenizer_config(tokenizer, options), TokenizerError);
}

}  // namespace
}  // namespace retort::model
