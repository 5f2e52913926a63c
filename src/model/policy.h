// The policy retort trains: a Qwen2 decoder plus, when the config has "retort_vision", an image
// encoder whose projected patch tokens replace the <|image|> placeholders of the prompt (LLaVA-style:
// a prompt with k images holds k * num_patches placeholder ids, filled in order).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "chem/image.h"
#include "model/qwen2_config.h"
#include "model/qwen2_model.h"
#include "model/vision_encoder.h"

namespace retort::model {

class KvCache;

class Policy {
 public:
  // Zero weights on the CPU in fp32 (load a checkpoint or call init_random next).
  explicit Policy(const Qwen2Config& config);
  // A fresh policy with Hugging Face's random init, seeded (decoder from SEED, vision from SEED + 1).
  static Policy create(const Qwen2Config& config, uint64_t seed);
  // A deep copy (its own weights), e.g. a frozen reference policy.
  Policy clone() const;

  const Qwen2Config& config() const { return decoder_.config(); }
  Qwen2Model& decoder() { return decoder_; }
  const Qwen2Model& decoder() const { return decoder_; }
  bool has_vision() const { return vision_ != nullptr; }
  const VisionEncoder* vision() const { return vision_.get(); }
  // The text-only decoder loses its vision part (a checkpoint had none).
  void drop_vision() { vision_.reset(); }
  void init_random(uint64_t seed);

  // input_ids (B, T) -> embeddings (B, T, H) with the placeholders replaced by IMAGES' tokens,
  // row-major (row 0's placeholders first). DataError when the placeholder count is not
  // images.size() * num_patches, or when images are given to a text-only policy.
  at::Tensor embed(const at::Tensor& input_ids, const std::vector<chem::Image>& images = {}) const;
  // As Qwen2Model::hidden_states / logits: (B, T, H) and (B, T, V).
  at::Tensor hidden_states(const at::Tensor& input_ids, const at::Tensor& attention_mask = {},
                           KvCache* cache = nullptr, const at::Tensor& inputs_embeds = {}) const;
  at::Tensor logits(const at::Tensor& input_ids, const at::Tensor& attention_mask = {}, KvCache* cache = nullptr,
                    const at::Tensor& inputs_embeds = {}) const;
  // (V, H): the trainer's fused chunked log-prob kernel takes hidden states and this weight.
  const at::Tensor& lm_head_weight() const { return decoder_.lm_head_weight(); }

  // Trainable leaves (decoder then vision), for an optimizer.
  std::vector<at::Tensor> parameters() const;
  std::vector<std::pair<std::string, at::Tensor>> named_parameters() const;
  // Hugging Face checkpoint names -> tensors (views), vision ones under "vision.".
  std::vector<std::pair<std::string, at::Tensor>> checkpoint_tensors() const;
  void to(at::Device device, at::ScalarType dtype);
  void set_requires_grad(bool requires_grad);
  at::Device device() const { return decoder_.device(); }
  at::ScalarType dtype() const { return decoder_.dtype(); }
  int64_t parameter_count() const;

 private:
  Qwen2Model decoder_;
  std::shared_ptr<VisionEncoder> vision_;
};

}  // namespace retort::model
