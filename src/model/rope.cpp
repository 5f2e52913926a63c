// Rotary position embedding (see rope.h).
#include "model/rope.h"

#include <ATen/ATen.h>

namespace retort::model {

at::Tensor rope_inverse_frequencies(int64_t head_dim, double theta, at::Device device) {
  // As transformers: 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float) / dim)), in fp32.
  at::Tensor exponents = at::arange(0, head_dim, 2, at::TensorOptions().dtype(at::kFloat)) / static_cast<double>(head_dim);
  return (1.0 / at::pow(at::Scalar(theta), exponents)).to(device);
}

RopeAngles rope_angles(const at::Tensor& positions, const at::Tensor& inverse_frequencies, at::ScalarType dtype) {
  at::Tensor freqs = positions.unsqueeze(-1).to(at::kFloat) * inverse_frequencies;  // (B, T, D/2)
  at::Tensor emb = at::cat({freqs, freqs}, -1).unsqueeze(2);                         // (B, T, 1, D)
  return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

at::Tensor apply_rope(const at::Tensor& x, const RopeAngles& angles) {
  const int64_t half = x.size(-1) / 2;
  at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * angles.cos + rotated * angles.sin;
}

}  // namespace retort::model
