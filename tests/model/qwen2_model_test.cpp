// The decoder alone: padding invariance (left and right padding give each row its unpadded logits),
// a chunked forward through the KV cache equals the full forward, config.json parsing, and
// gradients reaching every parameter.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "core/errors.h"
#include "model/kv_cache.h"
#include "model/policy.h"
#include "model_test_support.h"

using namespace retort::model;
using retort::model::testing::max_abs_diff;

namespace {

Qwen2Config small_config(bool tied) {
  Qwen2Config c;
  c.vocab_size = 97;
  c.hidden_size = 48;
  c.intermediate_size = 80;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 6;
  c.num_key_value_heads = 2;
  c.head_dim = 8;
  c.rope_theta = 10000.0;
  c.initializer_range = 0.1;
  c.tie_word_embeddings = tied;
  return c;
}

at::Tensor long_tensor(std::vector<int64_t> v) { return at::tensor(v, at::TensorOptions().dtype(at::kLong)); }

TEST(Qwen2Model, PaddedRowsEqualUnpaddedRows) {
  Policy policy = Policy::create(small_config(false), 3);
  std::vector<std::vector<int64_t>> rows = {{5, 9, 13, 40, 2, 77, 31}, {8, 1, 64}, {90}};
  const int64_t T = 7;
  for (bool left : {true, false}) {
    at::Tensor ids = at::zeros({3, T}, at::TensorOptions().dtype(at::kLong));
    at::Tensor mask = at::zeros({3, T}, at::TensorOptions().dtype(at::kLong));
    for (int64_t b = 0; b < 3; ++b) {
      const int64_t n = static_cast<int64_t>(rows[b].size()), offset = left ? T - n : 0;
      ids[b].narrow(0, offset, n).copy_(long_tensor(rows[b]));
      mask[b].narrow(0, offset, n).fill_(1);
    }
    at::Tensor batch = policy.logits(ids, mask);  // (3, T, V)
    for (int64_t b = 0; b < 3; ++b) {
      const int64_t n = static_cast<int64_t>(rows[b].size()), offset = left ? T - n : 0;
      at::Tensor alone = policy.logits(long_tensor(rows[b]).unsqueeze(0))[0];  // (n, V)
      EXPECT_LT(max_abs_diff(batch[b].narrow(0, offset, n), alone), 1e-5) << (left ? "left" : "right") << " row " << b;
    }
  }
}

TEST(Qwen2Model, ChunkedCacheForwardEqualsFullForward) {
  Policy policy = Policy::create(small_config(true), 4);
  at::Tensor ids = at::randint(0, 97, {2, 12}, at::TensorOptions().dtype(at::kLong));
  at::Tensor mask = at::ones({2, 12}, at::TensorOptions().dtype(at::kLong));
  mask[1].narrow(0, 0, 3).zero_();  // row 1 left-padded
  at::Tensor full = policy.logits(ids, mask);
  KvCache cache(policy.config(), 2, 16, at::kCPU, at::kFloat);
  at::Tensor part1 = policy.logits(ids.narrow(1, 0, 5), mask.narrow(1, 0, 5), &cache);
  at::Tensor part2 = policy.logits(ids.narrow(1, 5, 4), mask.narrow(1, 5, 4), &cache);
  at::Tensor part3 = policy.logits(ids.narrow(1, 9, 3), mask.narrow(1, 9, 3), &cache);
  at::Tensor chunked = at::cat({part1, part2, part3}, 1);
  at::Tensor real = mask.to(at::kBool);
  EXPECT_LT(max_abs_diff(chunked.index({real}), full.index({real})), 1e-5);
  EXPECT_EQ(cache.length(0), 12);
  EXPECT_EQ(cache.next_position(0), 12);
  EXPECT_EQ(cache.next_position(1), 9);
  // The cache refuses to overflow, with a message.
  EXPECT_THROW(policy.logits(ids.narrow(1, 0, 5), {}, &cache), retort::DataError);
}

TEST(Qwen2Model, GradientsReachEveryParameter) {
  Policy policy = Policy::create(small_config(false), 5);
  policy.set_requires_grad(true);
  at::Tensor ids = at::randint(0, 97, {2, 6}, at::TensorOptions().dtype(at::kLong));
  at::Tensor hidden = policy.hidden_states(ids);  // (2, 6, H)
  at::Tensor logits = at::linear(hidden, policy.lm_head_weight());
  at::Tensor loss = at::cross_entropy_loss(logits.view({-1, 97}).narrow(0, 0, 11), ids.view({-1}).narrow(0, 1, 11));
  loss.backward();
  for (auto& [name, p] : policy.named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << name;
    EXPECT_GT(p.grad().abs().sum().item<double>(), 0) << name;
  }
  // Initial loss of a random model is near log(V).
  EXPECT_NEAR(loss.item<double>(), std::log(97.0), 1.0);
}

TEST(Qwen2Config, ReadsTransformers5AndOlderLayouts) {
  nlohmann::json j = {{"model_type", "qwen2"}, {"vocab_size", 300}, {"hidden_size", 64}, {"intermediate_size", 160},
                      {"num_hidden_layers", 3}, {"num_attention_heads", 4}, {"num_key_value_heads", 2},
                      {"rope_parameters", {{"rope_theta", 5000.0}, {"rope_type", "default"}}},
                      {"tie_word_embeddings", true}, {"eos_token_id", {7, 8}}};
  auto c = Qwen2Config::from_json(j, "config.json");
  EXPECT_EQ(c.head_dim, 16);
  EXPECT_DOUBLE_EQ(c.rope_theta, 5000.0);
  EXPECT_TRUE(c.tie_word_embeddings);
  EXPECT_EQ(*c.eos_token_id, 7);
  j.erase("rope_parameters");
  j["rope_theta"] = 1e6;
  EXPECT_DOUBLE_EQ(Qwen2Config::from_json(j, "config.json").rope_theta, 1e6);
  // Round trip through to_json.
  auto again = Qwen2Config::from_json(c.to_json(), "again");
  EXPECT_EQ(again.num_key_value_heads, 2);
  EXPECT_EQ(again.tie_word_embeddings, true);
  // Errors name the file and the key.
  j["num_key_value_heads"] = 3;
  try {
    Qwen2Config::from_json(j, "ckpt/config.json");
    FAIL();
  } catch (const retort::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "ckpt/config.json: num_key_value_heads: 3 does not divide num_attention_heads 4");
  }
  j.erase("hidden_size");
  EXPECT_THROW(Qwen2Config::from_json(j, "x"), retort::ConfigError);
}

}  // namespace
