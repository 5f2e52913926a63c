// PromptBuilder: Qwen2.5 ChatML through model/chat_template, images through chem/image.
#include "rl/prompting.h"

#include "core/errors.h"
#include "model/chat_template.h"

namespace retort::rl {

PromptBuilder::PromptBuilder(const model::Tokenizer& tokenizer, std::string system_prompt, int64_t image_tokens)
    : tokenizer_(tokenizer), system_prompt_(std::move(system_prompt)), image_tokens_(image_tokens) {
  im_end_ = tokenizer.require_token_id("<|im_end|>");
  end_of_text_ = tokenizer.require_token_id("<|endoftext|>");
  if (auto id = tokenizer.token_to_id("<|image|>")) image_id_ = *id;
  pad_ = tokenizer.token_to_id("<|pad|>").value_or(end_of_text_);
}

void PromptBuilder::set_tools(const ToolSettings& settings) {
  tool_settings_ = settings;
  tools_ = settings.enabled ? tool_schemas(settings) : std::vector<nlohmann::ordered_json>{};
}

PromptInputs PromptBuilder::build(const Example& example) const {
  model::ChatTemplate chat(system_prompt_);
  std::vector<model::ChatMessage> messages = {{"system", system_prompt_, {}}, {"user", example.prompt, {}}};
  std::string text = chat.render(messages, tools_, /*add_generation_prompt=*/true);
  PromptInputs out;
  bool want_image = example.image && image_tokens_ > 0 && example.smiles.has_value();
  for (int32_t id : tokenizer_.encode(text)) {
    if (id != image_id_) {
      out.ids.push_back(id);
      continue;
    }
    if (!want_image) continue;  // a text-only policy (or an ablation) sees no placeholder at all
    if (!out.images.empty()) throw DataError("example " + example.id + ": more than one <|image|> in the prompt");
    out.ids.insert(out.ids.end(), image_tokens_, image_id_);
    try {
      out.images.push_back(chem::render_image(chem::Molecule::from_smiles(*example.smiles)));
    } catch (const std::exception& e) {
      throw DataError("example " + example.id + ": cannot draw its molecule: " + e.what());
    }
  }
  return out;
}

std::vector<int64_t> PromptBuilder::completion_ids(const std::string& completion) const {
  std::vector<int64_t> ids;
  for (int32_t id : tokenizer_.encode(completion)) ids.push_back(id);
  ids.push_back(im_end_);
  return ids;
}

std::string PromptBuilder::completion_text(const std::vector<int64_t>& ids) const {
  // <think>/<answer> are added tokens the verifiers must see, so only the turn-ending ids are dropped.
  std::vector<int32_t> kept;
  for (int64_t id : ids)
    if (id != im_end_ && id != end_of_text_ && id != pad_) kept.push_back(static_cast<int32_t>(id));
  return tokenizer_.decode(kept, /*skip_special_tokens=*/false);
}

}  // namespace retort::rl
