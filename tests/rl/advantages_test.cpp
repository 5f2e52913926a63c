// Advantage estimators on hand-made groups with hand-computed answers (tempo's prefix tree, rloo's
// leave-one-out identity, grpo's group of one), and the registry's errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.h"
#include "rl/advantages.h"

using namespace retort::rl;

namespace {

at::Tensor d(std::vector<double> v) { return at::tensor(v, at::kDouble); }

// Four sequences sharing prefixes, rewards 1, 0, 1, 0:
//   o1 = 1 2 3, o2 = 1 2 4, o3 = 1 5 6, o4 = 7 8 9.
// V(root) = 0.5, V(1) = 2/3, V(1 2) = 1/2, V(1 2 3) = 1, V(1 2 4) = 0, V(1 5) = 1, V(7) = 0.
AdvantageInputs tempo_group() {
  AdvantageInputs in;
  in.rewards = d({1, 0, 1, 0});
  in.group_ids = contiguous_group_ids(4, 4);
  in.token_ids = at::tensor(std::vector<int64_t>{1, 2, 3, 1, 2, 4, 1, 5, 6, 7, 8, 9}, at::kLong).reshape({4, 3});
  in.response_mask = at::ones({4, 3}, at::kDouble);
  return in;
}

}  // namespace

TEST(Advantages, TempoPrefixTreeHandChecked) {
  auto A = compute_advantages("tempo", tempo_group());
  const double s = std::sqrt(1.0 / 3.0) + 1e-6;  // unbiased std of {1,0,1,0}
  // o1: R - mean = 0.5; TD = V(1)-V() = 1/6, V(12)-V(1) = -1/6, V(123)-V(12) = 1/2.
  const double want[4][3] = {{(0.5 + 1.0 / 6) / s, (0.5 - 1.0 / 6) / s, (0.5 + 0.5) / s},
                             // o2: R - mean = -0.5; TD = 1/6, -1/6, V(124)-V(12) = -1/2.
                             {(-0.5 + 1.0 / 6) / s, (-0.5 - 1.0 / 6) / s, (-0.5 - 0.5) / s},
                             // o3: TD = 1/6, V(15)-V(1) = 1/3, then unique: 0.
                             {(0.5 + 1.0 / 6) / s, (0.5 + 1.0 / 3) / s, 0.5 / s},
                             // o4: TD = V(7)-V() = -1/2, then unique: 0, 0.
                             {(-0.5 - 0.5) / s, -0.5 / s, -0.5 / s}};
  for (int i = 0; i < 4; ++i)
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(A[i][t].item<double>(), want[i][t], 1e-12) << i << "," << t;
  // The TD terms telescope: summed over o1's tokens they give V(o1) - V(root) = R_1 - mean = 0.5.
  auto grpo = compute_advantages("grpo", tempo_group());
  EXPECT_NEAR(((A - grpo) * s).sum(1)[0].item<double>(), 0.5, 1e-12);
}

TEST(Advantages, TempoEqualsGrpoWhenNoResponseSharesAPrefix) {
  auto in = tempo_group();
  in.token_ids = at::arange(12, at::kLong).reshape({4, 3});  // no shared first token
  // Only the first token branches (V(root) -> V(o_i) = R_i), so TD = R_i - mean there and 0 after.
  auto A = compute_advantages("tempo", in);
  auto grpo = compute_advantages("grpo", in);
  EXPECT_TRUE(at::allclose(A.narrow(1, 1, 2), grpo.narrow(1, 1, 2)));
  EXPECT_TRUE(at::allclose(A.select(1, 0), 2 * grpo.select(1, 0)));
}

TEST(Advantages, TempoSkipsLossMaskedToolTokensButKeepsThemInThePrefix) {
  auto in = tempo_group();
  in.valid_mask = at::ones({4, 3}, at::kDouble);
  in.response_mask = in.valid_mask.clone();
  in.response_mask.select(1, 1).zero_();  // the middle token came from a tool
  auto A = compute_advantages("tempo", in);
  auto full = compute_advantages("tempo", tempo_group());
  EXPECT_TRUE(at::allclose(A.select(1, 0), full.select(1, 0)));
  EXPECT_TRUE(at::allclose(A.select(1, 2), full.select(1, 2)));
  EXPECT_EQ(A.select(1, 1).abs().sum().item<double>(), 0.0);
}

TEST(Advantages, GrpoHandChecked) {
  AdvantageInputs in;
  in.rewards = d({1, 0, 0, 0, 2, 2, 5});
  in.group_ids = at::tensor(std::vector<int64_t>{0, 0, 0, 0, 1, 1, 2}, at::kLong);
  in.response_mask = at::ones({7, 2}, at::kDouble);
  in.response_mask[0][1] = 0;
  auto A = compute_advantages("grpo", in);
  const double s = 0.5 + 1e-6;  // std of {1,0,0,0} (unbiased) = 0.5
  EXPECT_NEAR(A[0][0].item<double>(), 0.75 / s, 1e-12);
  EXPECT_EQ(A[0][1].item<double>(), 0.0);  // masked token
  EXPECT_NEAR(A[1][1].item<double>(), -0.25 / s, 1e-12);
  EXPECT_EQ(A[4][0].item<double>(), 0.0);  // zero-variance group
  EXPECT_EQ(A[6][0].item<double>(), 0.0);  // a group of one
}

TEST(Advantages, RlooIsLeaveOneOutAndScaledCentredReward) {
  AdvantageInputs in;
  in.rewards = d({0.3, 0.9, 0.1, 0.5, 1.0, 0.0});
  in.group_ids = contiguous_group_ids(6, 3);
  in.response_mask = at::ones({6, 1}, at::kDouble);
  auto A = compute_advantages("rloo", in);
  // R_i - mean of the other two, by hand.
  const double want[6] = {0.3 - 0.5, 0.9 - 0.2, 0.1 - 0.6, 0.5 - 0.5, 1.0 - 0.25, 0.0 - 0.75};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(A[i][0].item<double>(), want[i], 1e-12);
  // == (R - mean) * G / (G - 1)
  auto dr = compute_advantages("drgrpo", in);
  EXPECT_TRUE(at::allclose(A, dr * 1.5, 1e-12, 1e-12));
}

TEST(Advantages, ReinforcePlusPlusIsWhitenedOverTokens) {
  AdvantageInputs in;
  in.rewards = d({1, 0, 1, 1});
  in.group_ids = contiguous_group_ids(4, 2);
  in.response_mask = at::ones({4, 3}, at::kDouble);
  auto A = compute_advantages("reinforce_pp", in);
  auto values = A.masked_select(in.response_mask > 0);
  EXPECT_NEAR(values.mean().item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(values.std(true).item<double>(), 1.0, 1e-5);
  // centred rewards 0.5, -0.5, 0, 0 keep their order and zero stays zero.
  EXPECT_GT(A[0][0].item<double>(), 0);
  EXPECT_LT(A[1][0].item<double>(), 0);
  EXPECT_NEAR(A[2][0].item<double>(), 0.0, 1e-12);
}

TEST(Advantages, CanonDefaultsCompareAgainstTheOtherHalf) {
  AdvantageInputs in;
  in.rewards = d({1, 0, 1, 1});
  in.group_ids = contiguous_group_ids(4, 4);
  in.response_mask = at::ones({4, 1}, at::kDouble);
  in.metric = d({10, 20, 30, 40});  // H = {2, 3} (m_H = 1), L = {0, 1} (m_L = 0.5)
  auto A = compute_advantages("canon", in);
  EXPECT_NEAR(A[0][0].item<double>(), 1 - 1.0, 1e-12);   // L: R - m_H
  EXPECT_NEAR(A[1][0].item<double>(), 0 - 1.0, 1e-12);
  EXPECT_NEAR(A[2][0].item<double>(), 1 - 0.5, 1e-12);   // H: R - m_L
  EXPECT_NEAR(A[3][0].item<double>(), 1 - 0.5, 1e-12);
}

TEST(Advantages, BatchScalingDividesByTheBatchStd) {
  AdvantageInputs in;
  in.rewards = d({1, 0, 3, 1});
  in.group_ids = contiguous_group_ids(4, 2);
  in.response_mask = at::ones({4, 1}, at::kDouble);
  AdvantageOptions o;
  o.scaling = RewardScaling::batch;
  auto A = compute_advantages("grpo", in, o);
  const double mean = 1.25;  // unbiased std over all four rewards
  const double var = ((1 - mean) * (1 - mean) + mean * mean + (3 - mean) * (3 - mean) + (1 - mean) * (1 - mean)) / 3;
  EXPECT_NEAR(A[0][0].item<double>(), 0.5 / (std::sqrt(var) + 1e-6), 1e-12);
  EXPECT_NEAR(A[2][0].item<double>(), 1.0 / (std::sqrt(var) + 1e-6), 1e-12);
}

TEST(Advantages, RegistryNamesAndErrors) {
  std::vector<std::string> want = {"canon", "drgrpo", "grpo", "reinforce_pp", "rloo", "tempo"};
  EXPECT_EQ(advantage_names(), want);
  AdvantageInputs in;
  in.rewards = d({1, 0});
  in.group_ids = contiguous_group_ids(2, 2);
  in.response_mask = at::ones({2, 1}, at::kDouble);
  try {
    compute_advantages("gae", in);
    FAIL();
  } catch (const retort::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "advantage estimator 'gae' is unknown (known: canon, drgrpo, grpo, reinforce_pp, rloo, tempo)");
  }
  in.rewards = d({1, NAN});
  EXPECT_THROW(compute_advantages("grpo", in), std::invalid_argument);
  in.rewards = d({1, 0, 1});
  EXPECT_THROW(compute_advantages("grpo", in), std::invalid_argument);  // B mismatch
  EXPECT_THROW(compute_advantages("tempo", {d({1, 0}), contiguous_group_ids(2, 2), at::ones({2, 1}), {}, {}, {}}),
               std::invalid_argument);  // tempo without token ids
  EXPECT_THROW(contiguous_group_ids(5, 2), std::invalid_argument);
  EXPECT_THROW(parse_reward_scaling("median"), retort::ConfigError);
}
