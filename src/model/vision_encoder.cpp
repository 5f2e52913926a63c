// ViT image encoder and projector (see vision_encoder.h).
#include "model/vision_encoder.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/errors.h"

namespace retort::model {

at::Tensor image_to_tensor(const chem::Image& image) {
  if (image.c <= 0 || image.h <= 0 || image.w <= 0 ||
      image.data.size() != static_cast<size_t>(image.c) * image.h * image.w)
    throw DataError("image: " + std::to_string(image.data.size()) + " floats do not match c*h*w = " +
                    std::to_string(image.c) + "x" + std::to_string(image.h) + "x" + std::to_string(image.w));
  return at::from_blob(const_cast<float*>(image.data.data()), {image.c, image.h, image.w},
                       at::TensorOptions().dtype(at::kFloat))
      .clone();
}

VisionEncoder::VisionEncoder(VisionConfig config, int64_t decoder_hidden_size)
    : config_(std::move(config)), decoder_hidden_size_(decoder_hidden_size) {
  const auto& c = config_;
  const int64_t D = c.hidden_size;
  auto f32 = at::TensorOptions().dtype(at::kFloat);
  patch_weight_ = at::zeros({D, c.channels, c.patch_size, c.patch_size}, f32);
  patch_bias_ = at::zeros({D}, f32);
  position_embedding_ = at::zeros({c.num_patches(), D}, f32);
  for (int64_t l = 0; l < c.num_layers; ++l) {
    VisionLayerWeights w;
    w.norm1_weight = at::ones({D}, f32);
    w.norm1_bias = at::zeros({D}, f32);
    w.qkv_weight = at::zeros({3 * D, D}, f32);
    w.qkv_bias = at::zeros({3 * D}, f32);
    w.proj_weight = at::zeros({D, D}, f32);
    w.proj_bias = at::zeros({D}, f32);
    w.norm2_weight = at::ones({D}, f32);
    w.norm2_bias = at::zeros({D}, f32);
    w.fc1_weight = at::zeros({c.intermediate_size, D}, f32);
    w.fc1_bias = at::zeros({c.intermediate_size}, f32);
    w.fc2_weight = at::zeros({D, c.intermediate_size}, f32);
    w.fc2_bias = at::zeros({D}, f32);
    layers_.push_back(std::move(w));
  }
  post_norm_weight_ = at::ones({D}, f32);
  post_norm_bias_ = at::zeros({D}, f32);
  projector_fc1_weight_ = at::zeros({decoder_hidden_size, D}, f32);
  projector_fc1_bias_ = at::zeros({decoder_hidden_size}, f32);
  projector_fc2_weight_ = at::zeros({decoder_hidden_size, decoder_hidden_size}, f32);
  projector_fc2_bias_ = at::zeros({decoder_hidden_size}, f32);
}

void VisionEncoder::visit_parameters(const std::function<void(const std::string&, at::Tensor&)>& visit) {
  visit("vision.patch_embed.weight", patch_weight_);
  visit("vision.patch_embed.bias", patch_bias_);
  visit("vision.position_embedding", position_embedding_);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const std::string p = "vision.layers." + std::to_string(l) + ".";
    auto& w = layers_[l];
    visit(p + "norm1.weight", w.norm1_weight);
    visit(p + "norm1.bias", w.norm1_bias);
    visit(p + "attn.qkv.weight", w.qkv_weight);
    visit(p + "attn.qkv.bias", w.qkv_bias);
    visit(p + "attn.proj.weight", w.proj_weight);
    visit(p + "attn.proj.bias", w.proj_bias);
    visit(p + "norm2.weight", w.norm2_weight);
    visit(p + "norm2.bias", w.norm2_bias);
    visit(p + "mlp.fc1.weight", w.fc1_weight);
    visit(p + "mlp.fc1.bias", w.fc1_bias);
    visit(p + "mlp.fc2.weight", w.fc2_weight);
    visit(p + "mlp.fc2.bias", w.fc2_bias);
  }
  visit("vision.post_norm.weight", post_norm_weight_);
  visit("vision.post_norm.bias", post_norm_bias_);
  visit("vision.projector.fc1.weight", projector_fc1_weight_);
  visit("vision.projector.fc1.bias", projector_fc1_bias_);
  visit("vision.projector.fc2.weight", projector_fc2_weight_);
  visit("vision.projector.fc2.bias", projector_fc2_bias_);
}

std::vector<std::pair<std::string, at::Tensor>> VisionEncoder::named_parameters() const {
  std::vector<std::pair<std::string, at::Tensor>> out;
  const_cast<VisionEncoder*>(this)->visit_parameters([&](const std::string& n, at::Tensor& t) { out.emplace_back(n, t); });
  return out;
}

void VisionEncoder::init_random(uint64_t seed, double std) {
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  at::NoGradGuard no_grad;
  visit_parameters([&](const std::string& name, at::Tensor& t) {
    const bool is_norm = name.find("norm") != std::string::npos;
    const bool is_bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
    if (is_bias) {
      t.zero_();
    } else if (is_norm) {
      t.fill_(1.0);
    } else {
      at::Tensor draw = at::empty(t.sizes(), at::TensorOptions().dtype(at::kFloat));
      draw.normal_(0.0, std, generator);
      t.copy_(draw);
    }
  });
}

void VisionEncoder::to(at::Device device, at::ScalarType dtype) {
  visit_parameters([&](const std::string&, at::Tensor& t) {
    const bool grad = t.requires_grad();
    t = t.detach().to(device, dtype).requires_grad_(grad);
  });
}

at::Tensor VisionEncoder::forward(const at::Tensor& pixels) const {
  const auto& c = config_;
  if (pixels.dim() != 4 || pixels.size(1) != c.channels || pixels.size(2) != c.image_size || pixels.size(3) != c.image_size)
    throw DataError("vision encoder: expected images (N, " + std::to_string(c.channels) + ", " +
                    std::to_string(c.image_size) + ", " + std::to_string(c.image_size) + "), got " +
                    std::to_string(pixels.dim()) + "-d tensor");
  const int64_t D = c.hidden_size, heads = c.num_heads, head_dim = D / heads;
  at::Tensor x = at::conv2d(pixels.to(patch_weight_.device(), patch_weight_.scalar_type()), patch_weight_, patch_bias_,
                            /*stride=*/{c.patch_size, c.patch_size});      // (N, D, g, g)
  x = x.flatten(2).transpose(1, 2) + position_embedding_;                  // (N, P, D)
  const int64_t N = x.size(0), P = x.size(1);
  for (const auto& w : layers_) {
    at::Tensor h = at::layer_norm(x, {D}, w.norm1_weight, w.norm1_bias, c.layer_norm_eps);
    at::Tensor qkv = at::linear(h, w.qkv_weight, w.qkv_bias).view({N, P, 3, heads, head_dim}).permute({2, 0, 3, 1, 4});
    at::Tensor attended = at::scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);  // (N, heads, P, hd)
    x = x + at::linear(attended.transpose(1, 2).reshape({N, P, D}), w.proj_weight, w.proj_bias);
    h = at::layer_norm(x, {D}, w.norm2_weight, w.norm2_bias, c.layer_norm_eps);
    x = x + at::linear(at::gelu(at::linear(h, w.fc1_weight, w.fc1_bias)), w.fc2_weight, w.fc2_bias);
  }
  x = at::layer_norm(x, {D}, post_norm_weight_, post_norm_bias_, c.layer_norm_eps);
  x = at::linear(at::gelu(at::linear(x, projector_fc1_weight_, projector_fc1_bias_)), projector_fc2_weight_, projector_fc2_bias_);
  return x;  // (N, P, decoder_hidden)
}

}  // namespace retort::model
