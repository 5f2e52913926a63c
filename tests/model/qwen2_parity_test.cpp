// Qwen2 parity against transformers: a random Qwen2ForCausalLM saved by transformers (tied and untied)
// loads in retort with fp32 logits within 1e-4 on a left-padded batch, bf16 close to transformers'
// bf16; a checkpoint retort creates and saves loads in transformers with the same logits. (Greedy
// generation parity: tests/rollout/greedy_parity_test.cpp.)
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include "model/checkpoint.h"
#include "model/policy.h"
#include "model/safetensors_tensor.h"
#include "model_test_support.h"

using namespace retort::model;
using retort::model::testing::fresh_dir;
using retort::model::testing::max_abs_diff;
using retort::model::testing::run_reference;

namespace {

class Qwen2Parity : public ::testing::TestWithParam<int> {};

TEST_P(Qwen2Parity, LogitsMatchTransformersOnAPaddedBatch) {
  const int tied = GetParam();
  auto dir = fresh_dir("hf_" + std::to_string(tied));
  std::string out;
  ASSERT_EQ(run_reference("make " + dir.string() + " --tied " + std::to_string(tied) + " --seed " + std::to_string(7 + tied), out), 0) << out;
  auto reference = load_safetensors((dir / "reference.safetensors").string());
  at::Tensor ids = reference.at("input_ids"), mask = reference.at("attention_mask");

  Policy policy = load_policy(dir.string());
  EXPECT_EQ(policy.config().tie_word_embeddings, tied == 1);
  EXPECT_FALSE(policy.has_vision());
  at::Tensor logits = policy.logits(ids, mask);  // (B, T, V)
  // Padded positions carry no meaning; compare real tokens only.
  at::Tensor real = mask.to(at::kBool);
  const double fp32_diff = max_abs_diff(logits.index({real}), reference.at("logits").index({real}));
  EXPECT_LT(fp32_diff, 1e-4);

  // bf16: the same weights rounded; transformers' own bf16 run is the peer.
  Policy bf16 = load_policy(dir.string(), at::kCPU, at::kBFloat16);
  at::Tensor logits_bf16 = bf16.logits(ids, mask).to(at::kFloat);
  const double bf16_vs_hf = max_abs_diff(logits_bf16.index({real}), reference.at("logits_bf16").index({real}));
  const double bf16_vs_fp32 = max_abs_diff(logits_bf16.index({real}), reference.at("logits").index({real}));
  EXPECT_LT(bf16_vs_hf, 0.02);  // measured 0: the same ops in the same order
  EXPECT_LT(bf16_vs_fp32, 0.4);
  std::printf("fp32 max |diff| %.3g; bf16 vs transformers bf16 %.3g, vs fp32 %.3g\n", fp32_diff, bf16_vs_hf, bf16_vs_fp32);

  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(TiedAndUntied, Qwen2Parity, ::testing::Values(0, 1));

TEST(Qwen2Parity, RetortSavedCheckpointLoadsInTransformers) {
  Qwen2Config config;
  config.vocab_size = 257;
  config.hidden_size = 64;
  config.intermediate_size = 96;
  config.num_hidden_layers = 2;
  config.num_attention_heads = 4;
  config.num_key_value_heads = 2;
  config.head_dim = 16;
  config.rope_theta = 5000.0;
  config.initializer_range = 0.1;
  config.max_position_embeddings = 256;
  Policy policy = Policy::create(config, 42);
  {  // perturb norms and biases so every weight matters
    at::NoGradGuard no_grad;
    for (auto& [name, t] : policy.named_parameters())
      if (name.find("norm") != std::string::npos || name.find("bias") != std::string::npos) t.normal_(0.5, 0.2);
  }
  auto dir = fresh_dir("to_hf");
  save_policy(policy, (dir / "ckpt").string());
  at::Tensor ids = at::randint(0, 257, {2, 9}, at::TensorOptions().dtype(at::kLong));
  at::Tensor mask = at::ones({2, 9}, at::TensorOptions().dtype(at::kLong));
  mask.narrow(1, 0, 4)[1].zero_();  // row 1 left-padded by 4
  save_safetensors((dir / "ckpt" / "inputs.safetensors").string(), {{"input_ids", ids}, {"attention_mask", mask}});
  std::string out;
  ASSERT_EQ(run_reference("logits " + (dir / "ckpt").string(), out), 0) << out;
  at::Tensor hf = load_safetensors((dir / "ckpt" / "hf_logits.safetensors").string()).at("logits");
  at::Tensor mine = policy.logits(ids, mask);
  at::Tensor real = mask.to(at::kBool);
  EXPECT_LT(max_abs_diff(mine.index({real}), hf.index({real})), 1e-4);
  std::filesystem::remove_all(dir);
}

}  // namespace
