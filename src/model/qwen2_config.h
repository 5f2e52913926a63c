// The policy's architecture, read from and written to a Hugging Face Qwen2 config.json (torch-free).
// The optional image encoder lives under the extra key "retort_vision" (transformers keeps unknown
// keys as plain attributes, so such a config still loads there as a text-only Qwen2ForCausalLM).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace retort::model {

// ViT image encoder + 2-layer MLP projector (vision_encoder.h). image_size / patch_size squared
// patches become that many visual tokens, each replacing one <|image|> placeholder in the prompt.
struct VisionConfig {
  int64_t image_size = 224;
  int64_t patch_size = 32;
  int64_t channels = 3;
  int64_t hidden_size = 128;
  int64_t num_layers = 2;
  int64_t num_heads = 4;
  int64_t intermediate_size = 512;
  double layer_norm_eps = 1e-6;
  int64_t image_token_id = -1;  // the <|image|> placeholder id in the decoder's vocabulary

  int64_t num_patches() const { return (image_size / patch_size) * (image_size / patch_size); }
  nlohmann::json to_json() const;
  static VisionConfig from_json(const nlohmann::json& j, const std::string& source);
};

struct Qwen2Config {
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;
  int64_t head_dim = 0;  // hidden_size / num_attention_heads unless config.json says otherwise
  int64_t max_position_embeddings = 32768;
  double rope_theta = 1000000.0;
  double rms_norm_eps = 1e-6;
  double initializer_range = 0.02;
  bool tie_word_embeddings = false;
  std::string dtype = "float32";  // "torch_dtype"/"dtype" in config.json: the weights' stored dtype
  std::optional<int64_t> bos_token_id, eos_token_id, pad_token_id;
  std::optional<VisionConfig> vision;

  // Parses a config.json object; errors name SOURCE and the key ("config.json: hidden_size: ...").
  static Qwen2Config from_json(const nlohmann::json& j, const std::string& source);
  static Qwen2Config load(const std::string& path);
  // Hugging Face form: model_type "qwen2", architectures ["Qwen2ForCausalLM"], hidden_act "silu", ...
  nlohmann::json to_json() const;
  // Throws ConfigError (prefixed by SOURCE) on inconsistent sizes (heads not dividing, ...).
  void validate(const std::string& source) const;
};

}  // namespace retort::model
