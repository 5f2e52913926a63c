// PolicyOptimizer: the schedule's hand values, clipping (norm returned before clipping), the NaN/Inf
// guard (skip, then TrainingDiverged after N in a row), AdamW against a hand-computed first step,
// and the state round trip (a restored optimiser continues exactly like the original).
#include <gtest/gtest.h>

#include <cmath>

#include "rl/optimizer.h"

using namespace retort::rl;

TEST(Optimizer, WarmupThenCosineHandValues) {
  OptimizerOptions o;
  o.lr = 1.0;
  o.warmup_steps = 4;
  o.total_steps = 12;
  EXPECT_DOUBLE_EQ(learning_rate_at(o, 0), 0.0);
  EXPECT_DOUBLE_EQ(learning_rate_at(o, 2), 0.5);
  EXPECT_DOUBLE_EQ(learning_rate_at(o, 4), 1.0);
  EXPECT_NEAR(learning_rate_at(o, 8), 0.5, 1e-15);  // half-way through the decay
  EXPECT_NEAR(learning_rate_at(o, 12), 0.0, 1e-15);
  EXPECT_NEAR(learning_rate_at(o, 50), 0.0, 1e-15);  // stays at the floor
  o.min_lr_ratio = 0.1;
  EXPECT_NEAR(learning_rate_at(o, 8), 0.1 + 0.9 * 0.5, 1e-15);
  o.schedule = "constant";
  EXPECT_DOUBLE_EQ(learning_rate_at(o, 100), 1.0);
}

TEST(Optimizer, FirstAdamWStepAndClipping) {
  auto w = at::tensor(std::vector<double>{1.0, -2.0}, at::kDouble).requires_grad_(true);
  OptimizerOptions o;
  o.lr = 0.1;
  o.weight_decay = 0.5;
  o.schedule = "constant";
  o.max_grad_norm = 1.0;
  PolicyOptimizer opt({w}, o);
  (w * at::tensor(std::vector<double>{3.0, 4.0}, at::kDouble)).sum().backward();  // grad (3, 4), norm 5
  auto report = opt.step(1.0);
  EXPECT_FALSE(report.skipped);
  EXPECT_DOUBLE_EQ(report.grad_norm, 5.0);
  EXPECT_DOUBLE_EQ(report.lr, 0.1);
  // AdamW step 1: decoupled decay w *= 1 - lr wd, then w -= lr * m_hat / (sqrt(v_hat) + eps) with
  // m_hat = g, v_hat = g^2 -> w -= lr * sign(g) (approximately; eps 1e-8).
  const double g0 = 3.0 / (5.0 + 1e-6), g1 = 4.0 / (5.0 + 1e-6);
  EXPECT_NEAR(w[0].item<double>(), 1.0 * (1 - 0.05) - 0.1 * g0 / (g0 + 1e-8), 1e-12);
  EXPECT_NEAR(w[1].item<double>(), -2.0 * (1 - 0.05) - 0.1 * g1 / (g1 + 1e-8), 1e-12);
  EXPECT_FALSE(w.grad().defined());  // zeroed (set to none)
}

TEST(Optimizer, NanGuardSkipsThenStops) {
  auto w = at::ones({2}, at::kDouble).requires_grad_(true);
  OptimizerOptions o;
  o.max_consecutive_bad_steps = 3;
  PolicyOptimizer opt({w}, o);
  auto before = w.detach().clone();
  for (int i = 1; i <= 2; ++i) {
    (w * NAN).sum().backward();
    auto report = opt.step();
    EXPECT_TRUE(report.skipped);
    EXPECT_EQ(report.consecutive_bad_steps, i);
    EXPECT_TRUE(at::equal(w.detach(), before));
  }
  (w * 2).sum().backward();
  EXPECT_FALSE(opt.step(0.5).skipped);  // a good step resets the count
  EXPECT_EQ(opt.steps_taken(), 1);
  for (int i = 1; i <= 2; ++i) {
    w.sum().backward();
    EXPECT_TRUE(opt.step(INFINITY).skipped);  // a non-finite loss also skips
  }
  w.sum().backward();
  try {
    opt.step(NAN);
    FAIL();
  } catch (const TrainingDiverged& e) {
    EXPECT_NE(std::string(e.what()).find("3 consecutive steps"), std::string::npos) << e.what();
  }
}

TEST(Optimizer, StateRoundTripContinuesIdentically) {
  auto make = [] { return at::tensor(std::vector<double>{0.5, -1.5, 2.0}, at::kDouble).requires_grad_(true); };
  OptimizerOptions o;
  o.lr = 0.01;
  o.warmup_steps = 2;
  o.total_steps = 10;
  auto loss = [](const at::Tensor& w) { return (w * w * w).sum(); };
  auto a = make();
  PolicyOptimizer opt_a({a}, o);
  for (int i = 0; i < 3; ++i) {
    loss(a).backward();
    opt_a.step();
  }
  auto bytes = opt_a.state_bytes();
  auto counters = opt_a.counters_json();
  auto b = a.detach().clone().requires_grad_(true);
  PolicyOptimizer opt_b({b}, o);
  opt_b.load_state_bytes(bytes);
  opt_b.load_counters_json(counters);
  for (int i = 0; i < 4; ++i) {
    loss(a).backward();
    loss(b).backward();
    EXPECT_DOUBLE_EQ(opt_a.step().lr, opt_b.step().lr);
  }
  EXPECT_TRUE(at::equal(a.detach(), b.detach()));
  EXPECT_THROW(opt_b.load_state_bytes("not a torch archive"), std::runtime_error);
}
