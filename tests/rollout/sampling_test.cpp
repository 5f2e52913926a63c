// Sampling known answers: which tokens temperature/top-k/top-p/min-p keep (hand-computed), the
// log-probs returned, empirical frequencies matching the truncated distribution, and determinism.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "core/errors.h"
#include "rollout/sampling.h"

using namespace retort::rollout;

namespace {

// log of probabilities 0.5, 0.3, 0.15, 0.05 (already normalised).
at::Tensor four_way() { return at::log(at::tensor({0.5f, 0.3f, 0.15f, 0.05f})).unsqueeze(0); }

std::vector<bool> kept(const at::Tensor& filtered) {
  std::vector<bool> out;
  for (int64_t i = 0; i < filtered.size(-1); ++i) out.push_back(std::isfinite(filtered[0][i].item<float>()));
  return out;
}

TEST(Sampling, TruncationKeepsTheHandComputedSets) {
  SamplingParams p;
  p.top_p = 0.7;  // mass before each: 0, 0.5, 0.8, 0.95 -> keep the first two
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, false, false}));
  p.top_p = 0.81;  // 0.8 < 0.81 -> third kept too
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, true, false}));
  p = {};
  p.top_k = 3;
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, true, false}));
  p = {};
  p.min_p = 0.4;  // threshold 0.4 * 0.5 = 0.2 -> 0.5, 0.3 kept
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, false, false}));
  p = {};
  p.temperature = 2.0;  // probs ~ sqrt(p): 0.707, 0.548, 0.387, 0.224 (sum 1.866) -> 0.379, 0.294, 0.208, 0.120
  p.top_p = 0.6;        // mass before: 0, 0.379, 0.672 -> keep two
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, false, false}));
  p.top_p = 0.7;  // 0.672 < 0.7 -> three
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, true, false}));
  // Combined in HF's order: top-k 3 then top-p on the renormalised three (0.526, 0.316, 0.158).
  p = {};
  p.top_k = 3;
  p.top_p = 0.8;  // mass before: 0, 0.526, 0.842 -> keep two
  EXPECT_EQ(kept(filtered_logits(four_way(), p)), (std::vector<bool>{true, true, false, false}));
}

TEST(Sampling, LogProbsAreUnderTheSampledAndTheUntemperedDistributions) {
  SamplingParams p;
  p.top_k = 2;
  p.temperature = 1.0;
  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(1);
  at::Tensor logits = four_way().expand({64, 4}).contiguous();
  auto drawn = sample_tokens(logits, p, g);
  for (int64_t i = 0; i < 64; ++i) {
    const int64_t t = drawn.tokens[i].item<int64_t>();
    ASSERT_TRUE(t == 0 || t == 1);
    const double renormalised = (t == 0 ? 0.5 : 0.3) / 0.8;
    EXPECT_NEAR(drawn.logprobs[i].item<float>(), std::log(renormalised), 1e-5);
    EXPECT_NEAR(drawn.logprobs_untempered[i].item<float>(), std::log(t == 0 ? 0.5 : 0.3), 1e-5);
  }
  // Greedy: the argmax, both log-probs untempered.
  p = {};
  p.temperature = 0;
  auto greedy = sample_tokens(four_way(), p, g);
  EXPECT_EQ(greedy.tokens[0].item<int64_t>(), 0);
  EXPECT_NEAR(greedy.logprobs[0].item<float>(), std::log(0.5), 1e-6);
}

TEST(Sampling, FrequenciesFollowTheTruncatedTemperedDistribution) {
  SamplingParams p;
  p.temperature = 2.0;
  p.min_p = 0.5;  // tempered probs 0.379, 0.294, 0.208, 0.120: threshold 0.19 keeps three
  const int64_t n = 40000;
  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(7);
  auto drawn = sample_tokens(four_way().expand({n, 4}).contiguous(), p, g);
  at::Tensor counts = at::bincount(drawn.tokens, {}, 4).to(at::kDouble) / n;
  const double z = std::sqrt(0.5) + std::sqrt(0.3) + std::sqrt(0.15);
  EXPECT_NEAR(counts[0].item<double>(), std::sqrt(0.5) / z, 0.01);
  EXPECT_NEAR(counts[1].item<double>(), std::sqrt(0.3) / z, 0.01);
  EXPECT_NEAR(counts[2].item<double>(), std::sqrt(0.15) / z, 0.01);
  EXPECT_EQ(counts[3].item<double>(), 0.0);
}

TEST(Sampling, SameSeedSameTokens) {
  SamplingParams p;
  p.top_p = 0.9;
  at::Tensor logits = at::randn({8, 50});
  at::Generator a = at::globalContext().defaultGenerator(at::kCPU).clone(), b = a.clone();
  a.set_current_seed(99);
  b.set_current_seed(99);
  EXPECT_TRUE(at::equal(sample_tokens(logits, p, a).tokens, sample_tokens(logits, p, b).tokens));
  p.temperature = -1;
  EXPECT_THROW(validate(p), retort::ConfigError);
}

}  // namespace
