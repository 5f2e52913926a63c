// Image encoder for rendered molecules: a small ViT (patch embedding, learned positions, pre-norm
// transformer layers, final LayerNorm) and a LLaVA-1.5-style projector (Linear, GELU, Linear) into the
// decoder width. Each image becomes num_patches visual tokens that replace as many <|image|>
// placeholders in the prompt. Weights live under the checkpoint prefix "vision." (names below).
//
// Measured choice (/tmp script with the same layers in PyTorch, one thread, batch 8, on this 2-core
// build machine while it was busy compiling): this ViT (32-pixel patches on 224x224 -> 49 tokens,
// width 128, 2 layers, projector to 256) has 0.90 M parameters and took 13 ms per image; a small
// CNN giving the same 49 tokens (stride-2 stem + 4 stride-2 conv blocks to 7x7, 16->128 channels)
// has 0.57 M parameters but took 51 ms per image, since it convolves the full-resolution picture.
// The ViT is the default; its patch size sets the visual token count (16 px -> 196 tokens).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "chem/image.h"
#include "model/qwen2_config.h"

namespace retort::model {

// chem::Image (c, h, w floats) -> (c, h, w) fp32 tensor; DataError on a size mismatch.
at::Tensor image_to_tensor(const chem::Image& image);

struct VisionLayerWeights {
  at::Tensor norm1_weight, norm1_bias;  // (D,)
  at::Tensor qkv_weight, qkv_bias;      // (3D, D), (3D,)
  at::Tensor proj_weight, proj_bias;    // (D, D), (D,)
  at::Tensor norm2_weight, norm2_bias;  // (D,)
  at::Tensor fc1_weight, fc1_bias;      // (I, D), (I,)
  at::Tensor fc2_weight, fc2_bias;      // (D, I), (D,)
};

class VisionEncoder {
 public:
  VisionEncoder(VisionConfig config, int64_t decoder_hidden_size);
  const VisionConfig& config() const { return config_; }
  // Weights ~ normal(0, std) (conv/linear/positions), biases 0, LayerNorms 1/0; seeded.
  void init_random(uint64_t seed, double std);
  // pixels (N, C, S, S) -> projected visual tokens (N, num_patches, decoder_hidden).
  at::Tensor forward(const at::Tensor& pixels) const;

  // Names carry the "vision." prefix: vision.patch_embed.weight, vision.position_embedding,
  // vision.layers.{i}.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.{weight,bias},
  // vision.post_norm.{weight,bias}, vision.projector.{fc1,fc2}.{weight,bias}.
  void visit_parameters(const std::function<void(const std::string&, at::Tensor&)>& visit);
  std::vector<std::pair<std::string, at::Tensor>> named_parameters() const;
  void to(at::Device device, at::ScalarType dtype);

 private:
  VisionConfig config_;
  int64_t decoder_hidden_size_;
  at::Tensor patch_weight_, patch_bias_;  // (D, C, P, P), (D,)
  at::Tensor position_embedding_;         // (num_patches, D)
  std::vector<VisionLayerWeights> layers_;
  at::Tensor post_norm_weight_, post_norm_bias_;
  at::Tensor projector_fc1_weight_, projector_fc1_bias_;  // (Hdec, D), (Hdec,)
  at::Tensor projector_fc2_weight_, projector_fc2_bias_;  // (Hdec, Hdec), (Hdec,)
};

}  // namespace retort::model
