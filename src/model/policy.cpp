// Decoder + optional image encoder (see policy.h).
#include "model/policy.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include "core/errors.h"

namespace retort::model {

Policy::Policy(const Qwen2Config& config) : decoder_(config) {
  if (config.vision) vision_ = std::make_shared<VisionEncoder>(*config.vision, config.hidden_size);
}

Policy Policy::create(const Qwen2Config& config, uint64_t seed) {
  Policy policy(config);
  policy.init_random(seed);
  return policy;
}

void Policy::init_random(uint64_t seed) {
  decoder_.init_random(seed);
  if (vision_) vision_->init_random(seed + 1, config().initializer_range);
}

Policy Policy::clone() const {
  Policy copy(config());
  if (!vision_) copy.drop_vision();
  copy.to(device(), dtype());
  auto src = named_parameters();
  auto dst = copy.named_parameters();
  at::NoGradGuard no_grad;
  for (size_t i = 0; i < src.size(); ++i) {
    dst[i].second.copy_(src[i].second);
    dst[i].second.requires_grad_(src[i].second.requires_grad());
  }
  return copy;
}

at::Tensor Policy::embed(const at::Tensor& input_ids, const std::vector<chem::Image>& images) const {
  at::Tensor ids = input_ids.to(device());
  at::Tensor embeddings = decoder_.embed(ids);  // (B, T, H)
  if (!vision_) {
    if (!images.empty()) throw DataError("policy: images given but the model has no vision encoder");
    return embeddings;
  }
  const int64_t image_token = vision_->config().image_token_id;
  at::Tensor placeholder = ids.eq(image_token);  // (B, T)
  const int64_t count = placeholder.sum().item<int64_t>();
  const int64_t per_image = vision_->config().num_patches();
  if (count != static_cast<int64_t>(images.size()) * per_image)
    throw DataError("policy: prompt holds " + std::to_string(count) + " <|image|> placeholders but " +
                    std::to_string(images.size()) + " image(s) need " +
                    std::to_string(static_cast<int64_t>(images.size()) * per_image));
  if (images.empty()) return embeddings;
  std::vector<at::Tensor> pixels;
  for (const auto& image : images) pixels.push_back(image_to_tensor(image));
  at::Tensor visual = vision_->forward(at::stack(pixels).to(device()));  // (N, P, H)
  visual = visual.reshape({-1, visual.size(-1)}).to(embeddings.scalar_type());
  // Row-major placeholders take the visual tokens in order (out of place, so autograd sees both).
  at::Tensor merged = embeddings.clone();
  merged.index_put_({placeholder}, visual);
  return merged;
}

at::Tensor Policy::hidden_states(const at::Tensor& input_ids, const at::Tensor& attention_mask, KvCache* cache,
                                 const at::Tensor& inputs_embeds) const {
  return decoder_.hidden_states(input_ids, attention_mask, cache, inputs_embeds);
}

at::Tensor Policy::logits(const at::Tensor& input_ids, const at::Tensor& attention_mask, KvCache* cache,
                          const at::Tensor& inputs_embeds) const {
  return decoder_.logits(input_ids, attention_mask, cache, inputs_embeds);
}

std::vector<std::pair<std::string, at::Tensor>> Policy::named_parameters() const {
  auto out = decoder_.named_parameters();
  if (vision_)
    for (auto& p : vision_->named_parameters()) out.push_back(std::move(p));
  return out;
}

std::vector<at::Tensor> Policy::parameters() const {
  std::vector<at::Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, at::Tensor>> Policy::checkpoint_tensors() const {
  auto out = decoder_.checkpoint_tensors();
  if (vision_)
    for (auto& p : vision_->named_parameters()) out.push_back(std::move(p));
  return out;
}

void Policy::to(at::Device device, at::ScalarType dtype) {
  decoder_.to(device, dtype);
  if (vision_) vision_->to(device, dtype);
}

void Policy::set_requires_grad(bool requires_grad) {
  decoder_.set_requires_grad(requires_grad);
  if (vision_)
    vision_->visit_parameters([&](const std::string&, at::Tensor& t) { t.requires_grad_(requires_grad); });
}

int64_t Policy::parameter_count() const {
  int64_t n = 0;
  for (auto& [name, t] : named_parameters()) n += t.numel();
  return n;
}

}  // namespace retort::model
