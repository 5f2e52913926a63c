// NaN in a loss (as a NaN reward or advantage produces): the policy loss on a real policy's token
// log-probs is NaN, PolicyOptimizer skips the step (no weight or AdamW moment changes), logs a warning
// that says so, counts it, and the next finite step updates normally. (The trainer's rl_step and
// sft_step hand their loss to this same PolicyOptimizer::step.)
#include <gtest/gtest.h>

#include <cmath>

#include "model/policy.h"
#include "model/tokenizer.h"
#include "rl/losses.h"
#include "rl/optimizer.h"
#include "rl/trainer.h"

using namespace retort;

namespace {

model::Policy small_policy() {
  auto tokenizer = model::Tokenizer::tiny_default();
  nlohmann::json overrides = {{"hidden_size", 32}, {"intermediate_size", 64}, {"num_hidden_layers", 1},
                              {"num_attention_heads", 2}, {"num_key_value_heads", 1}};
  return model::Policy::create(rl::tiny_policy_config(tokenizer, overrides, /*vision=*/false), 7);
}

// DAPO's loss over two sequences of 5 tokens with the given per-sequence advantages.
at::Tensor dapo_loss(const model::Policy& policy, double advantage0, double advantage1) {
  at::Tensor ids = at::tensor(std::vector<int64_t>{10, 11, 12, 13, 14, 20, 21, 22, 23, 24}, at::kLong).reshape({2, 5});
  at::Tensor logits = policy.logits(ids);                                        // (B, T, V)
  at::Tensor logp = at::log_softmax(logits.slice(1, 0, 4), -1)
                        .gather(-1, ids.slice(1, 1, 5).unsqueeze(-1)).squeeze(-1);  // (B, T-1)
  rl::PolicyLossInputs in;
  in.logp = logp;
  in.old_logp = logp.detach();
  in.advantages = at::tensor(std::vector<double>{advantage0, advantage1}, at::kFloat).unsqueeze(1).expand({2, 4});
  in.mask = at::ones({2, 4});
  return rl::compute_policy_loss("dapo", in, rl::PolicyLossOptions{}).loss;
}

std::vector<at::Tensor> snapshot(const model::Policy& policy) {
  std::vector<at::Tensor> out;
  for (const auto& p : policy.parameters()) out.push_back(p.detach().clone());
  return out;
}

bool same_weights(const std::vector<at::Tensor>& a, const model::Policy& policy) {
  auto now = policy.parameters();
  for (size_t i = 0; i < a.size(); ++i)
    if (!at::equal(a[i], now[i].detach())) return false;
  return true;
}

}  // namespace

TEST(NanLoss, StepIsSkippedLoggedAndTheNextStepUpdates) {
  model::Policy policy = small_policy();
  policy.set_requires_grad(true);
  rl::OptimizerOptions options;
  options.lr = 1e-2;
  options.max_consecutive_bad_steps = 3;
  rl::PolicyOptimizer optimizer(policy.parameters(), options);

  // A first good step, so that AdamW has moments to protect.
  at::Tensor good = dapo_loss(policy, 1.0, -1.0);
  good.backward();
  ASSERT_FALSE(optimizer.step(good.item<double>()).skipped);
  const auto weights = snapshot(policy);
  const std::string moments = optimizer.state_bytes();

  at::Tensor bad = dapo_loss(policy, std::nan(""), -1.0);  // a NaN advantage, as from a NaN reward
  ASSERT_TRUE(std::isnan(bad.item<double>()));
  bad.backward();
  testing::internal::CaptureStderr();
  rl::OptimizerStepReport report = optimizer.step(bad.item<double>());
  const std::string logged = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(report.skipped);
  EXPECT_EQ(report.consecutive_bad_steps, 1);
  EXPECT_NE(logged.find("skipped a step with a non-finite loss"), std::string::npos) << logged;
  EXPECT_TRUE(same_weights(weights, policy)) << "a skipped step changed the weights";
  EXPECT_EQ(optimizer.state_bytes(), moments) << "a skipped step changed AdamW's moments";
  EXPECT_EQ(optimizer.steps_taken(), 1);
  for (const auto& p : policy.parameters())
    EXPECT_TRUE(!p.grad().defined() || at::all(p.grad() == 0).item<bool>()) << "NaN gradients left behind";

  at::Tensor again = dapo_loss(policy, 1.0, -1.0);
  again.backward();
  rl::OptimizerStepReport next = optimizer.step(again.item<double>());
  EXPECT_FALSE(next.skipped);
  EXPECT_TRUE(std::isfinite(next.grad_norm));
  EXPECT_EQ(optimizer.steps_taken(), 2);
  EXPECT_FALSE(same_weights(weights, policy));
  for (const auto& p : policy.parameters()) EXPECT_TRUE(at::all(at::isfinite(p)).item<bool>());
}
