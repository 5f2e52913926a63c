// Greedy decoding with the KV cache equals transformers' generate() (greedy, its KV cache) for 64
// tokens from a left-padded batch of a random Qwen2 saved by transformers, tied and untied.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "../model/model_test_support.h"
#include "model/checkpoint.h"
#include "model/safetensors_tensor.h"
#include "rollout/sampler.h"

using namespace retort::model;

namespace {

class GreedyParity : public ::testing::TestWithParam<int> {};

TEST_P(GreedyParity, SixtyFourTokensEqualTransformersGenerate) {
  const int tied = GetParam();
  auto dir = retort::model::testing::fresh_dir("greedy_" + std::to_string(tied));
  std::string out;
  ASSERT_EQ(retort::model::testing::run_reference("make " + dir.string() + " --tied " + std::to_string(tied) + " --seed " + std::to_string(11 + tied), out), 0) << out;
  auto reference = load_safetensors((dir / "reference.safetensors").string());
  at::Tensor ids = reference.at("input_ids"), mask = reference.at("attention_mask");
  Policy policy = load_policy(dir.string());
  std::vector<std::vector<int64_t>> prompts;
  for (int64_t b = 0; b < ids.size(0); ++b) {
    std::vector<int64_t> p;
    for (int64_t t = 0; t < ids.size(1); ++t)
      if (mask[b][t].item<int64_t>()) p.push_back(ids[b][t].item<int64_t>());
    prompts.push_back(p);
  }
  retort::rollout::GenerationParams params;
  params.sampling.temperature = 0;
  params.max_new_tokens = 64;
  at::Tensor expected = reference.at("generated");  // (B, 64)
  for (bool use_cache : {true, false}) {
    params.use_cache = use_cache;
    auto sequences = retort::rollout::generate(policy, prompts, params);
    for (size_t b = 0; b < sequences.size(); ++b) {
      ASSERT_EQ(sequences[b].tokens.size(), 64u);
      EXPECT_EQ(sequences[b].finish_reason, retort::rollout::FinishReason::max_new_tokens);
      for (int64_t t = 0; t < 64; ++t)
        ASSERT_EQ(sequences[b].tokens[t], expected[b][t].item<int64_t>())
            << (use_cache ? "cached" : "reference") << " path, sequence " << b << " token " << t;
    }
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(TiedAndUntied, GreedyParity, ::testing::Values(0, 1));

}  // namespace
