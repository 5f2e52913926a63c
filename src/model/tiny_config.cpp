// The tiny default policy config (see tiny_config.h).
#include "model/tiny_config.h"

namespace retort::model {

Qwen2Config tiny_config(const Tokenizer& tokenizer, bool with_vision) {
  Qwen2Config c;
  c.vocab_size = tokenizer.vocab_size();
  c.hidden_size = 256;
  c.intermediate_size = 688;
  c.num_hidden_layers = 4;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 64;
  c.max_position_embeddings = 4096;
  c.rope_theta = 10000.0;
  c.rms_norm_eps = 1e-6;
  c.initializer_range = 0.02;
  c.tie_word_embeddings = true;
  c.dtype = "float32";
  if (auto id = tokenizer.token_to_id("<|endoftext|>")) c.bos_token_id = *id;
  if (auto id = tokenizer.token_to_id("<|im_end|>")) c.eos_token_id = *id;
  if (auto id = tokenizer.token_to_id("<|pad|>")) c.pad_token_id = *id;
  if (with_vision) {
    VisionConfig v;  // defaults: 224 px, 32 px patches, width 128, 2 layers, 4 heads, MLP 512
    v.image_token_id = tokenizer.require_token_id("<|image|>");
    c.vision = v;
  }
  c.validate("tiny_config");
  return c;
}

Policy create_tiny_policy(uint64_t seed, bool with_vision) {
  return Policy::create(tiny_config(Tokenizer::tiny_default(), with_vision), seed);
}

}  // namespace retort::model
