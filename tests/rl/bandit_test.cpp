// A toy verifiable task that proves the losses learn: a softmax policy conditioned on a prompt id
// (logits W (10 prompts, 10 digit tokens), zero-initialised, so chance = 0.1) answers one token;
// reward 1 when it equals the prompt's digit. Each step: G = 8 samples per prompt -> grpo
// advantages -> 2 update epochs through PolicyOptimizer (AdamW) -> the expected reward
// mean_p softmax(W_p)[p] must pass 0.9 within a bounded number of steps, for each loss.
#include <gtest/gtest.h>

#include <iostream>

#include <ATen/core/grad_mode.h>

#include "rl/advantages.h"
#include "rl/losses.h"
#include "rl/optimizer.h"

using namespace retort::rl;

namespace {

constexpr int64_t kPrompts = 10, kDigits = 10, kGroup = 8, kEpochs = 2, kMaxSteps = 300;

double expected_reward(const at::Tensor& W) {
  auto probs = at::softmax(W.detach(), -1);
  return probs.diagonal().mean().item<double>();
}

struct TrainingResult {
  int64_t steps = 0;          // steps run (the first step whose expected reward exceeded 0.9, when stopping there)
  double final_reward = 0.0;  // expected reward after the last step
};

// Trains until the expected reward exceeds 0.9 or MAX_STEPS; ADVANTAGE_SIGN -1 is the negative control.
TrainingResult train(const std::string& loss_name, uint64_t seed, double advantage_sign = 1.0,
                     int64_t max_steps = kMaxSteps) {
  at::manual_seed(seed);
  auto W = at::zeros({kPrompts, kDigits}, at::kDouble).requires_grad_(true);
  OptimizerOptions oo;
  oo.lr = 0.05;
  oo.weight_decay = 0.0;
  oo.schedule = "constant";
  oo.max_grad_norm = 10.0;
  PolicyOptimizer optimizer({W}, oo);
  auto prompts = at::arange(kPrompts, at::kLong).repeat_interleave(kGroup);  // (B,)
  auto group_ids = prompts.clone();
  for (int64_t step = 1; step <= max_steps; ++step) {
    at::Tensor tokens, old_logp;
    {
      at::NoGradGuard no_grad;
      tokens = at::multinomial(at::softmax(W, -1), kGroup, /*replacement=*/true).reshape({-1});  // (B,)
      old_logp = at::log_softmax(W, -1).index({prompts, tokens}).unsqueeze(1);                     // (B, 1)
    }
    auto rewards = (tokens == prompts).to(at::kDouble);
    auto mask = at::ones({kPrompts * kGroup, 1}, at::kDouble);
    auto advantages = advantage_sign * compute_advantages("grpo", {rewards, group_ids, mask, {}, {}, {}});
    for (int64_t epoch = 0; epoch < kEpochs; ++epoch) {
      PolicyLossInputs in;
      in.logp = at::log_softmax(W, -1).index({prompts, tokens}).unsqueeze(1);
      in.old_logp = old_logp;
      in.advantages = advantages;
      in.mask = mask;
      in.rewards = advantage_sign > 0 ? rewards : 1 - rewards;
      in.group_ids = group_ids;
      auto out = compute_policy_loss(loss_name, in);
      out.loss.backward();
      auto report = optimizer.step(out.loss.item<double>());
      EXPECT_FALSE(report.skipped);
    }
    if (advantage_sign > 0 && expected_reward(W) > 0.9) return {step, expected_reward(W)};
  }
  return {max_steps + 1, expected_reward(W)};
}

class BanditLearns : public ::testing::TestWithParam<std::string> {};

TEST_P(BanditLearns, ExpectedRewardRisesFromChanceAbove09) {
  EXPECT_NEAR(expected_reward(at::zeros({kPrompts, kDigits}, at::kDouble)), 0.1, 1e-12);  // chance
  for (uint64_t seed : {1u, 2u}) {
    const int64_t steps = train(GetParam(), seed).steps;
    std::cout << "bandit " << GetParam() << " seed " << seed << ": expected reward > 0.9 after " << steps << " steps\n";
    EXPECT_LE(steps, kMaxSteps) << GetParam() << " did not learn the digit task";
  }
}

// The same loop with the advantages (and REAL's labels) negated must drive the reward below chance:
// the task is not solved by anything but the loss's gradient direction.
TEST_P(BanditLearns, NegatedAdvantagesUnlearn) {
  const double reward = train(GetParam(), 1, -1.0, 30).final_reward;
  std::cout << "bandit " << GetParam() << " negated: expected reward " << reward << " after 30 steps\n";
  EXPECT_LT(reward, 0.05);
}

INSTANTIATE_TEST_SUITE_P(Losses, BanditLearns,
                         ::testing::Values("ppo_clip", "dapo", "dispo", "gspo", "cispo", "real"),
                         [](const auto& info) { return info.param; });

}  // namespace
