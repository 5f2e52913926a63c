// Rotary position embedding as Hugging Face Qwen2 computes it (rotate_half convention): the angles
// position * inv_freq are formed in fp32 from the positions of each token, so left-padded rows get
// the same angles as unpadded ones.
#pragma once
#include <ATen/core/Tensor.h>

namespace retort::model {

// inv_freq = 1 / theta^(arange(0, head_dim, 2) / head_dim), (head_dim/2,) fp32 on DEVICE.
at::Tensor rope_inverse_frequencies(int64_t head_dim, double theta, at::Device device);

struct RopeAngles {
  at::Tensor cos, sin;  // (B, T, 1, head_dim) in the activation dtype, broadcast over heads
};
// positions (B, T) int64 -> cos/sin of cat(freqs, freqs), freqs = positions[..., None] * inv_freq.
RopeAngles rope_angles(const at::Tensor& positions, const at::Tensor& inverse_frequencies, at::ScalarType dtype);

// x (B, T, heads, head_dim): x * cos + rotate_half(x) * sin, rotate_half(x) = cat(-x2, x1).
at::Tensor apply_rope(const at::Tensor& x, const RopeAngles& angles);

}  // namespace retort::model
