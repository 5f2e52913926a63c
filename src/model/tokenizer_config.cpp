// Builds tokenizer_config.json (Qwen2.5-Instruct's layout) from a loaded Tokenizer.
#include "model/tokenizer_config.h"

#include "model/chat_template.h"

namespace retort::model {

nlohmann::ordered_json make_tokenizer_config(const Tokenizer& tokenizer, const TokenizerConfigOptions& options) {
  std::string pad = options.pad_token;
  if (pad.empty()) pad = tokenizer.token_to_id("<|pad|>") ? "<|pad|>" : "<|endoftext|>";
  tokenizer.require_token_id(options.eos_token);
  tokenizer.require_token_id(pad);
  nlohmann::ordered_json added = nlohmann::ordered_json::object();
  for (const AddedToken& t : tokenizer.added_tokens())
    added[std::to_string(t.id)] = {{"content", t.content}, {"lstrip", t.lstrip}, {"normalized", t.normalized},
                                   {"rstrip", t.rstrip}, {"single_word", t.single_word}, {"special", t.special}};
  nlohmann::ordered_json config;
  config["add_bos_token"] = false;
  config["add_prefix_space"] = false;
  config["added_tokens_decoder"] = added;
  config["bos_token"] = nullptr;
  config["chat_template"] = options.chat_template.empty() ? std::string(ChatTemplate::qwen2_5_jinja()) : options.chat_template;
  config["clean_up_tokenization_spaces"] = false;
  config["eos_token"] = options.eos_token;
  config["errors"] = "replace";
  config["model_max_length"] = options.model_max_length;
  config["pad_token"] = pad;
  config["split_special_tokens"] = false;
  config["tokenizer_class"] = "PreTrainedTokenizerFast";
  config["unk_token"] = nullptr;
  return config;
}

}  // namespace retort::model
