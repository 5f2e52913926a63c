// The Qwen2 decoder forward pass and its weights (see qwen2_model.h).
#include "model/qwen2_model.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <ATen/CPUGeneratorImpl.h>

#include "model/attention.h"
#include "model/kv_cache.h"
#include "model/rope.h"

namespace retort::model {

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  at::Tensor h = x.to(at::kFloat);
  at::Tensor variance = h.pow(2).mean(-1, /*keepdim=*/true);
  h = h * at::rsqrt(variance + eps);
  return weight * h.to(x.scalar_type());
}

Qwen2Model::Qwen2Model(Qwen2Config config) : config_(std::move(config)) {
  config_.validate("Qwen2Model");
  const auto& c = config_;
  auto f32 = at::TensorOptions().dtype(at::kFloat);
  const int64_t qkv_rows = (c.num_attention_heads + 2 * c.num_key_value_heads) * c.head_dim;
  embed_tokens_ = at::zeros({c.vocab_size, c.hidden_size}, f32);
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
    Qwen2LayerWeights w;
    w.input_norm = at::ones({c.hidden_size}, f32);
    w.qkv_weight = at::zeros({qkv_rows, c.hidden_size}, f32);
    w.qkv_bias = at::zeros({qkv_rows}, f32);
    w.o_weight = at::zeros({c.hidden_size, c.num_attention_heads * c.head_dim}, f32);
    w.post_norm = at::ones({c.hidden_size}, f32);
    w.gate_up_weight = at::zeros({2 * c.intermediate_size, c.hidden_size}, f32);
    w.down_weight = at::zeros({c.hidden_size, c.intermediate_size}, f32);
    layers_.push_back(std::move(w));
  }
  final_norm_ = at::ones({c.hidden_size}, f32);
  if (!c.tie_word_embeddings) lm_head_ = at::zeros({c.vocab_size, c.hidden_size}, f32);
  inverse_frequencies_ = rope_inverse_frequencies(c.head_dim, c.rope_theta, at::kCPU);
}

void Qwen2Model::visit_parameters(const std::function<void(const std::string&, at::Tensor&)>& visit) {
  visit("model.embed_tokens.weight", embed_tokens_);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    auto& w = layers_[l];
    visit(p + "input_layernorm.weight", w.input_norm);
    visit(p + "self_attn.qkv_proj.weight", w.qkv_weight);
    visit(p + "self_attn.qkv_proj.bias", w.qkv_bias);
    visit(p + "self_attn.o_proj.weight", w.o_weight);
    visit(p + "post_attention_layernorm.weight", w.post_norm);
    visit(p + "mlp.gate_up_proj.weight", w.gate_up_weight);
    visit(p + "mlp.down_proj.weight", w.down_weight);
  }
  visit("model.norm.weight", final_norm_);
  if (lm_head_.defined()) visit("lm_head.weight", lm_head_);
}

std::vector<std::pair<std::string, at::Tensor>> Qwen2Model::named_parameters() const {
  std::vector<std::pair<std::string, at::Tensor>> out;
  const_cast<Qwen2Model*>(this)->visit_parameters([&](const std::string& n, at::Tensor& t) { out.emplace_back(n, t); });
  return out;
}

std::vector<std::pair<std::string, at::Tensor>> Qwen2Model::checkpoint_tensors() const {
  const auto& c = config_;
  const int64_t q_rows = c.num_attention_heads * c.head_dim, kv_rows = c.num_key_value_heads * c.head_dim;
  std::vector<std::pair<std::string, at::Tensor>> out;
  out.emplace_back("model.embed_tokens.weight", embed_tokens_);
  for (size_t l = 0; l < layers_.size(); ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    const auto& w = layers_[l];
    out.emplace_back(p + "input_layernorm.weight", w.input_norm);
    out.emplace_back(p + "self_attn.q_proj.weight", w.qkv_weight.narrow(0, 0, q_rows));
    out.emplace_back(p + "self_attn.k_proj.weight", w.qkv_weight.narrow(0, q_rows, kv_rows));
    out.emplace_back(p + "self_attn.v_proj.weight", w.qkv_weight.narrow(0, q_rows + kv_rows, kv_rows));
    out.emplace_back(p + "self_attn.q_proj.bias", w.qkv_bias.narrow(0, 0, q_rows));
    out.emplace_back(p + "self_attn.k_proj.bias", w.qkv_bias.narrow(0, q_rows, kv_rows));
    out.emplace_back(p + "self_attn.v_proj.bias", w.qkv_bias.narrow(0, q_rows + kv_rows, kv_rows));
    out.emplace_back(p + "self_attn.o_proj.weight", w.o_weight);
    out.emplace_back(p + "post_attention_layernorm.weight", w.post_norm);
    out.emplace_back(p + "mlp.gate_proj.weight", w.gate_up_weight.narrow(0, 0, c.intermediate_size));
    out.emplace_back(p + "mlp.up_proj.weight", w.gate_up_weight.narrow(0, c.intermediate_size, c.intermediate_size));
    out.emplace_back(p + "mlp.down_proj.weight", w.down_weight);
  }
  out.emplace_back("model.norm.weight", final_norm_);
  if (lm_head_.defined()) out.emplace_back("lm_head.weight", lm_head_);
  return out;
}

void Qwen2Model::init_random(uint64_t seed) {
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  at::NoGradGuard no_grad;
  const double std = config_.initializer_range;
  visit_parameters([&](const std::string& name, at::Tensor& t) {
    const bool is_norm = name.find("norm.weight") != std::string::npos;
    const bool is_bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
    if (is_norm) {
      t.fill_(1.0);
    } else if (is_bias) {
      t.zero_();
    } else {
      at::Tensor draw = at::empty(t.sizes(), at::TensorOptions().dtype(at::kFloat));
      draw.normal_(0.0, std, generator);
      t.copy_(draw);
    }
  });
}

void Qwen2Model::to(at::Device device, at::ScalarType dtype) {
  visit_parameters([&](const std::string&, at::Tensor& t) {
    const bool grad = t.requires_grad();
    t = t.detach().to(device, dtype).requires_grad_(grad);
  });
  inverse_frequencies_ = inverse_frequencies_.to(device);
}

void Qwen2Model::set_requires_grad(bool requires_grad) {
  visit_parameters([&](const std::string&, at::Tensor& t) { t.requires_grad_(requires_grad); });
}

at::Device Qwen2Model::device() const { return embed_tokens_.device(); }
at::ScalarType Qwen2Model::dtype() const { return embed_tokens_.scalar_type(); }

at::Tensor Qwen2Model::embed(const at::Tensor& input_ids) const { return at::embedding(embed_tokens_, input_ids); }

at::Tensor Qwen2Model::hidden_states(const at::Tensor& input_ids, const at::Tensor& attention_mask, KvCache* cache,
                                     const at::Tensor& inputs_embeds, int64_t cache_row_begin,
                                     std::vector<char> advance) const {
  const auto& c = config_;
  at::Tensor x = inputs_embeds.defined() ? inputs_embeds.to(dtype()) : embed(input_ids.to(device()));  // (B, T, H)
  const int64_t B = x.size(0), T = x.size(1);
  at::Tensor token_mask = attention_mask.defined()
                              ? attention_mask.to(device(), at::kBool)
                              : at::ones({B, T}, at::TensorOptions().device(device()).dtype(at::kBool));

  at::Tensor positions, mask;  // (B, T); (B, 1, T, S)
  KvChunk chunk;
  if (cache) {
    chunk = cache->begin_chunk(token_mask, cache_row_begin, std::move(advance));
    positions = chunk.positions;
    mask = chunk.attention_mask;
  } else {
    positions = (token_mask.to(at::kLong).cumsum(1) - 1).clamp_min(0);
    at::Tensor causal = at::ones({T, T}, token_mask.options()).tril();          // (T, T)
    at::Tensor diagonal = at::eye(T, token_mask.options());
    mask = ((causal.unsqueeze(0) & token_mask.unsqueeze(1)) | diagonal).unsqueeze(1);  // (B, 1, T, T)
  }
  const RopeAngles angles = rope_angles(positions, inverse_frequencies_, x.scalar_type());

  const int64_t q_width = c.num_attention_heads * c.head_dim, kv_width = c.num_key_value_heads * c.head_dim;
  const int64_t heads_qk = c.num_attention_heads + c.num_key_value_heads;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const auto& w = layers_[l];
    at::Tensor h = rms_norm(x, w.input_norm, c.rms_norm_eps);
    at::Tensor qkv = at::linear(h, w.qkv_weight, w.qkv_bias);  // (B, T, q + 2 kv)
    // q and k are adjacent in qkv: one RoPE over their heads together (B, T, heads + kv_heads, D).
    at::Tensor qk = apply_rope(qkv.narrow(-1, 0, q_width + kv_width).view({B, T, heads_qk, c.head_dim}), angles);
    at::Tensor q = qk.narrow(2, 0, c.num_attention_heads);                    // (B, T, heads, D)
    at::Tensor k = qk.narrow(2, c.num_attention_heads, c.num_key_value_heads);  // (B, T, kv_heads, D)
    at::Tensor v = qkv.narrow(-1, q_width + kv_width, kv_width).view({B, T, c.num_key_value_heads, c.head_dim});
    at::Tensor keys, values;  // (B, KVH, S, D)
    if (cache) {
      std::tie(keys, values) = cache->write(static_cast<int64_t>(l), chunk, k, v);
    } else {
      keys = k.transpose(1, 2);
      values = v.transpose(1, 2);
    }
    at::Tensor attended = grouped_query_attention(q, keys, values, mask);  // (B, T, heads * D)
    x = x + at::linear(attended, w.o_weight);
    h = rms_norm(x, w.post_norm, c.rms_norm_eps);
    at::Tensor gate_up = at::linear(h, w.gate_up_weight);  // (B, T, 2 I)
    at::Tensor gated = at::silu(gate_up.narrow(-1, 0, c.intermediate_size)) * gate_up.narrow(-1, c.intermediate_size, c.intermediate_size);
    x = x + at::linear(gated, w.down_weight);
  }
  if (cache) cache->commit(chunk);
  return rms_norm(x, final_norm_, c.rms_norm_eps);
}

at::Tensor Qwen2Model::project_logits(const at::Tensor& hidden) const { return at::linear(hidden, lm_head_weight()); }

at::Tensor Qwen2Model::logits(const at::Tensor& input_ids, const at::Tensor& attention_mask, KvCache* cache,
                              const at::Tensor& inputs_embeds) const {
  return project_logits(hidden_states(input_ids, attention_mask, cache, inputs_embeds));
}

}  // namespace retort::model
