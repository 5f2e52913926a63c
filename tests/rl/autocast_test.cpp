// bf16 autocast (model.autocast): which settings turn it on, and one real RL train step on CPU with
// model.autocast = "bf16" against the same step in fp32 (identical rollouts: sampling runs outside
// autocast). The loss carries an entropy bonus with coefficient 1, so it is dominated by a quantity of
// the autocast forward pass (the policy's token entropy, ~8 nats here) instead of a near-zero policy term.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>

#include "rl/autocast.h"
#include "trainer_test_util.h"

using namespace retort;
using namespace retort::rl;
using namespace retort::rl::test;

TEST(Autocast, SettingsMeanWhatTheReadmeSays) {
  const c10::Device cpu(c10::kCPU);
  EXPECT_FALSE(autocast_wanted("none", cpu, c10::ScalarType::Float));
  EXPECT_FALSE(autocast_wanted("none", cpu, c10::ScalarType::BFloat16));
  EXPECT_TRUE(autocast_wanted("bf16", cpu, c10::ScalarType::Float));
  EXPECT_FALSE(autocast_wanted("auto", cpu, c10::ScalarType::Float));  // fp32 model on CPU: plain fp32
  EXPECT_TRUE(autocast_wanted("auto", cpu, c10::ScalarType::BFloat16));
}

TEST(Autocast, ScopeRestoresThePreviousState) {
  ASSERT_FALSE(at::autocast::is_autocast_enabled(at::kCPU));
  {
    AutocastScope scope(true, c10::kCPU);
    EXPECT_TRUE(at::autocast::is_autocast_enabled(at::kCPU));
    EXPECT_EQ(at::autocast::get_autocast_dtype(at::kCPU), at::kBFloat16);
    at::Tensor a = at::randn({4, 8}), b = at::randn({8, 3});
    EXPECT_EQ(at::mm(a, b).scalar_type(), at::kBFloat16);  // CPU autocast runs matmuls in bf16
  }
  EXPECT_FALSE(at::autocast::is_autocast_enabled(at::kCPU));
  { AutocastScope off(false, c10::kCPU); EXPECT_FALSE(at::autocast::is_autocast_enabled(at::kCPU)); }
}

namespace {

struct StepMetrics {
  double loss, entropy, pg_loss, grad_norm;
};

StepMetrics one_rl_step(const ScratchDir& dir, const std::string& autocast) {
  std::vector<nlohmann::json> examples;
  for (const char* id : {"a", "b", "c"}) examples.push_back({{"id", id}, {"task", "toy"}, {"prompt", std::string("item ") + id}, {"answer", "yes"}});
  auto train = write_examples(dir.path / "train.jsonl", examples);
  auto run_dir = dir.path / ("run_" + autocast);
  auto config = small_config(run_dir, train, 1);
  config["model"]["autocast"] = autocast;
  config["rl"]["prompts_per_step"] = 3;
  config["rl"]["group_size"] = 4;
  config["rl"]["max_new_tokens"] = 6;
  config["rl"]["loss"] = "ppo_clip";
  config["rl"]["entropy_coef"] = 1.0;
  Trainer trainer(parse_config(config), config);
  int64_t calls = 0;  // alternating rewards: every group has spread, so the policy term is not zero
  trainer.set_reward_function([&](const Example&, const std::string&) {
    Score s;
    s.total = static_cast<double>(calls++ % 2);
    s.correct = s.total > 0;
    return s;
  });
  trainer.run();
  auto metrics = read_jsonl(run_dir / "metrics.jsonl");
  EXPECT_EQ(metrics.size(), 1u);
  const auto& m = metrics.at(0);
  return {m["loss"].get<double>(), m["entropy"].get<double>(), m["pg_loss"].get<double>(), m["grad_norm"].get<double>()};
}

}  // namespace

TEST(Autocast, Bf16TrainStepOnCpuMatchesFp32) {
  ScratchDir dir("autocast");
  StepMetrics fp32 = one_rl_step(dir, "none");
  StepMetrics bf16 = one_rl_step(dir, "bf16");
  std::printf("[autocast] fp32 loss %.6f entropy %.6f pg %.6f grad_norm %.6f | bf16 loss %.6f entropy %.6f pg %.6f "
              "grad_norm %.6f\n",
              fp32.loss, fp32.entropy, fp32.pg_loss, fp32.grad_norm, bf16.loss, bf16.entropy, bf16.pg_loss, bf16.grad_norm);
  for (double v : {bf16.loss, bf16.entropy, bf16.pg_loss, bf16.grad_norm}) EXPECT_TRUE(std::isfinite(v));
  ASSERT_GT(fp32.entropy, 1.0);  // a random-init policy over 4096 tokens: the loss is dominated by -entropy
  // bf16 keeps 8 mantissa bits (relative rounding 2^-9 ~ 0.2 %); the loss sums many such roundings.
  EXPECT_NEAR(bf16.loss, fp32.loss, 0.01 * std::abs(fp32.loss));
  EXPECT_NEAR(bf16.entropy, fp32.entropy, 0.01 * fp32.entropy);
  EXPECT_NEAR(bf16.pg_loss, fp32.pg_loss, 0.02);
  EXPECT_NEAR(bf16.grad_norm, fp32.grad_norm, 0.05 * fp32.grad_norm);
  // Autocast really ran: bf16 rounding moved the loss (an fp32 rerun reproduces it bit for bit).
  EXPECT_NE(bf16.loss, fp32.loss);
  EXPECT_EQ(one_rl_step(dir, "none").loss, fp32.loss);
}
