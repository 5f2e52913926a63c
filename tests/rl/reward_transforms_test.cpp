// Reward transforms with hand-computed answers: overlong shaping, dynamic-sampling filter, likelihood
// rewards, RLPR std filter, SAR, noisy-verifier corrections, partial credit.
#include <gtest/gtest.h>

#include <cmath>

#include "rl/reward_transforms.h"

using namespace retort::rl;

TEST(RewardTransforms, OverlongShapingDapo) {
  // L_max 100, L_buf 20: no penalty up to 80, linear to -1 at 100, -1 beyond.
  EXPECT_EQ(overlong_penalty(50, 100, 20), 0.0);
  EXPECT_EQ(overlong_penalty(80, 100, 20), 0.0);
  EXPECT_DOUBLE_EQ(overlong_penalty(90, 100, 20), -0.5);
  EXPECT_DOUBLE_EQ(overlong_penalty(100, 100, 20), -1.0);
  EXPECT_DOUBLE_EQ(overlong_penalty(130, 100, 20), -1.0);
  EXPECT_THROW(overlong_penalty(10, 100, 0), std::invalid_argument);
}

TEST(RewardTransforms, DynamicSamplingDropsZeroStdGroups) {
  std::vector<double> rewards = {1, 1, 1, 0, 1, 0, 0.5, 0.5};
  std::vector<int64_t> groups = {0, 0, 1, 1, 1, 1, 2, 2};
  auto keep = groups_with_reward_variance(rewards, groups);
  EXPECT_EQ(keep, (std::vector<bool>{false, false, true, true, true, true, false, false}));
  EXPECT_DOUBLE_EQ(fraction_zero_std_groups(rewards, groups), 2.0 / 3.0);
  EXPECT_THROW(groups_with_reward_variance({1, 0}, {0}), std::invalid_argument);
}

TEST(RewardTransforms, LikelihoodRewards) {
  std::vector<double> logps = {std::log(0.5), std::log(0.25)};
  EXPECT_DOUBLE_EQ(log_prob_reward(logps), std::log(0.125));
  EXPECT_DOUBLE_EQ(log_prob_reward(logps, true), std::log(0.125) / 2);
  EXPECT_NEAR(verifree_reward(logps), 0.125, 1e-15);
  EXPECT_EQ(verifree_reward(logps, false), 0.0);
  EXPECT_DOUBLE_EQ(rlpr_mean_token_probability(logps), 0.375);
  std::vector<double> prior = {std::log(0.25), std::log(0.25)};  // without reasoning: 0.25
  EXPECT_DOUBLE_EQ(rlpr_reward(logps, prior, true), 0.125 + 0.1);
  EXPECT_DOUBLE_EQ(rlpr_reward(prior, logps, false), 0.0);  // clipped at 0
  EXPECT_THROW(log_prob_reward({}), std::invalid_argument);
  EXPECT_THROW(rlpr_mean_token_probability({0.5}), std::invalid_argument);  // a log-prob > 0
}

TEST(RewardTransforms, RlprStdFilterUsesEma) {
  RlprStdFilter filter(0.5, 0.9);
  // First batch: EMA starts at mean(0.4, 0.1, 0.3) = 0.8/3; threshold 0.1333: drops 0.1.
  auto keep = filter.filter({0.4, 0.1, 0.3});
  EXPECT_EQ(keep, (std::vector<bool>{true, false, true}));
  EXPECT_NEAR(filter.ema(), 0.8 / 3, 1e-15);
  // Second batch: threshold 0.5 * 0.8/3; EMA <- 0.9 * 0.8/3 + 0.1 * 0.05.
  keep = filter.filter({0.0, 0.1});
  EXPECT_EQ(keep, (std::vector<bool>{false, false}));
  EXPECT_NEAR(filter.ema(), 0.9 * 0.8 / 3 + 0.1 * 0.05, 1e-15);
  RlprStdFilter restored;
  restored.load_json(filter.to_json());
  EXPECT_EQ(restored.filter({0.13}), filter.filter({0.13}));
}

TEST(RewardTransforms, SelfAlignedReward) {
  // ppl(a|q) = exp(-mean log p) = 2, ppl(a) = 4: R_SA = (4 - 2) / 4 = 0.5.
  std::vector<double> with_q = {std::log(0.5), std::log(0.5)};
  std::vector<double> alone = {std::log(0.25), std::log(0.25)};
  EXPECT_NEAR(self_aligned_reward(with_q, alone), 0.5, 1e-12);
  EXPECT_NEAR(self_aligned_reward(alone, with_q), -1.0, 1e-12);  // (2 - 4) / 2 = -1
  std::vector<double> much_worse = {std::log(0.01)};
  EXPECT_DOUBLE_EQ(self_aligned_reward(much_worse, {std::log(0.5)}), -1.0);  // floored
  EXPECT_DOUBLE_EQ(reward_with_self_alignment(1.0, 0.5), 1.1);
}

TEST(RewardTransforms, NoisyVerifierCorrections) {
  EXPECT_DOUBLE_EQ(backward_corrected_reward(1.0, 0.1, 0.2), 0.9 / 0.7);
  EXPECT_DOUBLE_EQ(backward_corrected_reward(0.0, 0.1, 0.2), -0.1 / 0.7);
  // Unbiased: E[R_hat | true 1] = (1 - rho1) R_hat(1) + rho1 R_hat(0) = 1; E[R_hat | true 0] = 0.
  const double r1 = backward_corrected_reward(1, 0.1, 0.2), r0 = backward_corrected_reward(0, 0.1, 0.2);
  EXPECT_NEAR(0.8 * r1 + 0.2 * r0, 1.0, 1e-12);
  EXPECT_NEAR(0.1 * r1 + 0.9 * r0, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(forward_correction_weight(1.0, 0.2), 0.2);
  EXPECT_DOUBLE_EQ(forward_correction_weight(0.0, 0.2), -0.8);
  EXPECT_THROW(backward_corrected_reward(1.0, 0.5, 0.5), std::invalid_argument);
}

TEST(RewardTransforms, PartialCreditWeighsRareChecksMore) {
  // Check 0 passed by all 3 (p = 1), check 1 by one (p = 1/3).
  auto rewards = partial_credit_rewards({{true, true}, {true, false}, {true, false}}, 1.0, 0.5);
  const double w0 = std::exp(-1.0), w1 = std::exp(-1.0 / 3);
  EXPECT_NEAR(rewards[0], 0.5 * 1 + 0.5 * 1.0, 1e-12);
  EXPECT_NEAR(rewards[1], 0.5 * w0 / (w0 + w1), 1e-12);
  EXPECT_THROW(partial_credit_rewards({{true}, {true, false}}), std::invalid_argument);
}

TEST(RewardTransforms, AnswerGradientCoefficientIsTheRewardsOwnDerivative) {
  const std::vector<double> logps = {std::log(0.5), std::log(0.8)};
  EXPECT_DOUBLE_EQ(answer_gradient_coefficient("log_prob", logps, 2.0, /*per_token=*/true, true), 1.0);   // 2 / 2 tokens
  EXPECT_DOUBLE_EQ(answer_gradient_coefficient("log_prob", logps, 2.0, /*per_token=*/false, true), 2.0);
  EXPECT_NEAR(answer_gradient_coefficient("verifree", logps, 2.0, true, true), 2.0 * 0.4, 1e-12);  // w * pi(a*)
  EXPECT_EQ(answer_gradient_coefficient("verifree", logps, 2.0, true, /*has_answer_slot=*/false), 0.0);
  EXPECT_EQ(answer_gradient_coefficient("rlpr", logps, 2.0, true, true), 0.0);
}
