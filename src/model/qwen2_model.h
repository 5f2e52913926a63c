// The Qwen2 decoder (Hugging Face Qwen2ForCausalLM, equal in arithmetic): token embedding, N layers of
// [RMSNorm -> GQA self-attention with RoPE (q/k/v with bias, o without) -> residual -> RMSNorm ->
// SwiGLU MLP -> residual], a final RMSNorm and the LM head (tied to the embedding or not).
// Weights are plain leaf tensors; q/k/v and gate/up are stored fused (one GEMM each), and
// checkpoint_tensors() exposes them under Hugging Face names as views.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "model/qwen2_config.h"

namespace retort::model {

class KvCache;

struct Qwen2LayerWeights {
  at::Tensor input_norm;      // (H,)
  at::Tensor qkv_weight;      // ((heads + 2 kv_heads) * head_dim, H): rows q | k | v
  at::Tensor qkv_bias;        // ((heads + 2 kv_heads) * head_dim,)
  at::Tensor o_weight;        // (H, heads * head_dim)
  at::Tensor post_norm;       // (H,)
  at::Tensor gate_up_weight;  // (2 I, H): rows gate | up
  at::Tensor down_weight;     // (H, I)
};

class Qwen2Model {
 public:
  // Weights zero-filled, fp32 on the CPU; call init_random or load weights next.
  explicit Qwen2Model(Qwen2Config config);

  const Qwen2Config& config() const { return config_; }
  // Hugging Face's init: every Linear/Embedding weight ~ normal(0, initializer_range), biases 0,
  // norms 1; drawn in a fixed order from a CPU generator seeded with SEED.
  void init_random(uint64_t seed);

  // input_ids (B, T) int64 -> (B, T, H).
  at::Tensor embed(const at::Tensor& input_ids) const;
  // Final-norm hidden states (B, T, H). ATTENTION_MASK (B, T) (1 = token, 0 = padding; undefined =
  // all ones) drives positions (count of earlier real tokens) and masks, so a left- or right-padded
  // row equals the same row unpadded. With CACHE the chunk continues each cached sequence from
  // CACHE_ROW_BEGIN and is stored into it (ADVANCE as KvCache::begin_chunk). INPUTS_EMBEDS (B, T, H),
  // when defined, replaces the token embedding (image placeholders already substituted).
  at::Tensor hidden_states(const at::Tensor& input_ids, const at::Tensor& attention_mask = {},
                           KvCache* cache = nullptr, const at::Tensor& inputs_embeds = {},
                           int64_t cache_row_begin = 0, std::vector<char> advance = {}) const;
  // hidden (..., H) -> logits (..., V) through the LM head.
  at::Tensor project_logits(const at::Tensor& hidden) const;
  // hidden_states then project_logits: (B, T, V).
  at::Tensor logits(const at::Tensor& input_ids, const at::Tensor& attention_mask = {}, KvCache* cache = nullptr,
                    const at::Tensor& inputs_embeds = {}) const;
  // The LM head weight (V, H) (the embedding when tied).
  const at::Tensor& lm_head_weight() const { return config_.tie_word_embeddings ? embed_tokens_ : lm_head_; }

  // Trainable leaves with stable names ("model.layers.0.self_attn.qkv_proj.weight", ...).
  void visit_parameters(const std::function<void(const std::string&, at::Tensor&)>& visit);
  std::vector<std::pair<std::string, at::Tensor>> named_parameters() const;
  // Hugging Face tensor names -> tensors (views into the fused weights): what a checkpoint holds.
  std::vector<std::pair<std::string, at::Tensor>> checkpoint_tensors() const;

  // Moves/casts every weight (keeps requires_grad); RMSNorm weights follow the dtype too, as in HF.
  void to(at::Device device, at::ScalarType dtype);
  void set_requires_grad(bool requires_grad);
  at::Device device() const;
  at::ScalarType dtype() const;

 private:
  Qwen2Config config_;
  at::Tensor embed_tokens_;  // (V, H)
  std::vector<Qwen2LayerWeights> layers_;
  at::Tensor final_norm_;    // (H,)
  at::Tensor lm_head_;       // (V, H); undefined when tied
  at::Tensor inverse_frequencies_;  // (head_dim / 2,) fp32 RoPE
};

// HF RMSNorm: x * rsqrt(mean(x^2) + eps) in fp32, cast back, times weight.
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps);

}  // namespace retort::model
