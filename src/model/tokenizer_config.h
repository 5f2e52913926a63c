// tokenizer_config.json for a checkpoint retort saves in Hugging Face layout: the fields transformers
// reads beside tokenizer.json (eos/pad tokens, added_tokens_decoder, chat_template, ...), in the shape
// of Qwen2.5-Instruct's file, so AutoTokenizer.from_pretrained(checkpoint) encodes and renders chats
// as retort does.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/tokenizer.h"

namespace retort::model {

struct TokenizerConfigOptions {
  std::string eos_token = "<|im_end|>";
  std::string pad_token;  // "" picks "<|pad|>" when the vocabulary has it, else "<|endoftext|>"
  int64_t model_max_length = 32768;
  std::string chat_template;  // "" means Qwen2.5's (ChatTemplate::qwen2_5_jinja())
};

// Throws TokenizerError when the eos or pad token is not in the tokenizer.
nlohmann::ordered_json make_tokenizer_config(const Tokenizer& tokenizer, const TokenizerConfigOptions& options = {});

}  // namespace retort::model
