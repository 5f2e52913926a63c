// Policy losses on one- and two-token inputs with hand-computed values and gradients; aggregation,
// KL estimators, micro-batch normalisers, and the registry's errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/errors.h"
#include "rl/losses.h"

using namespace retort::rl;

namespace {

// One token with ratio R and advantage A: returns (loss, d loss / d logp).
std::pair<double, double> one_token(const std::string& name, double ratio, double advantage,
                                    const PolicyLossOptions& o = {}) {
  PolicyLossInputs in;
  in.logp = at::full({1, 1}, std::log(0.4), at::kDouble).requires_grad_(true);
  in.old_logp = at::full({1, 1}, std::log(0.4) - std::log(ratio), at::kDouble);
  in.advantages = at::full({1, 1}, advantage, at::kDouble);
  in.mask = at::ones({1, 1}, at::kDouble);
  auto out = compute_policy_loss(name, in, o);
  out.loss.backward();
  return {out.loss.item<double>(), in.logp.grad().item<double>()};
}

}  // namespace

TEST(Losses, PpoClipHandChecked) {
  // r = 1.1 inside [0.8, 1.2]: l = -r A, dl/dlogp = -r A.
  auto [l, g] = one_token("ppo_clip", 1.1, 2.0);
  EXPECT_NEAR(l, -2.2, 1e-12);
  EXPECT_NEAR(g, -2.2, 1e-12);
  // r = 1.5, A > 0: clipped at 1.2, no gradient.
  std::tie(l, g) = one_token("ppo_clip", 1.5, 1.0);
  EXPECT_NEAR(l, -1.2, 1e-12);
  EXPECT_EQ(g, 0.0);
  // r = 1.5, A < 0: the unclipped term is the max: l = 1.5, gradient -A r = 1.5.
  std::tie(l, g) = one_token("ppo_clip", 1.5, -1.0);
  EXPECT_NEAR(l, 1.5, 1e-12);
  EXPECT_NEAR(g, 1.5, 1e-12);
  // r = 0.5, A < 0: clipped at 0.8: l = 0.8, no gradient.
  std::tie(l, g) = one_token("ppo_clip", 0.5, -1.0);
  EXPECT_NEAR(l, 0.8, 1e-12);
  EXPECT_EQ(g, 0.0);
}

TEST(Losses, DualClipCapsNegativeAdvantageLossAtCTimesA) {
  PolicyLossOptions o;
  o.dual_clip = true;
  auto [l, g] = one_token("ppo_clip", 4.0, -1.0, o);  // -rA = 4 > 3|A|
  EXPECT_NEAR(l, 3.0, 1e-12);
  EXPECT_EQ(g, 0.0);
  std::tie(l, g) = one_token("ppo_clip", 2.0, -1.0, o);  // below the cap: as plain ppo_clip
  EXPECT_NEAR(l, 2.0, 1e-12);
  EXPECT_NEAR(g, 2.0, 1e-12);
}

TEST(Losses, DapoClipsHigherAt028) {
  auto [l, g] = one_token("dapo", 1.25, 1.0);  // inside 1 + 0.28
  EXPECT_NEAR(l, -1.25, 1e-12);
  EXPECT_NEAR(g, -1.25, 1e-12);
  std::tie(l, g) = one_token("ppo_clip", 1.25, 1.0);  // outside 1 + 0.2
  EXPECT_EQ(g, 0.0);
  std::tie(l, g) = one_token("dapo", 0.7, -1.0);  // lower bound still 0.8
  EXPECT_NEAR(l, 0.8, 1e-12);
  EXPECT_EQ(g, 0.0);
}

TEST(Losses, CispoAndDispoAreStopGradientWeightedReinforce) {
  // cispo: w = min(r, 1.28) held constant: l = -w A logp, dl/dlogp = -w A.
  auto [l, g] = one_token("cispo", 2.0, 1.0);
  EXPECT_NEAR(l, -1.28 * std::log(0.4), 1e-12);
  EXPECT_NEAR(g, -1.28, 1e-12);
  std::tie(l, g) = one_token("cispo", 0.01, -1.0);  // no lower bound: w = 0.01
  EXPECT_NEAR(g, 0.01, 1e-12);
  // dispo defaults: A > 0 -> [0.8, 11]; A < 0 -> [0, 101].
  std::tie(l, g) = one_token("dispo", 0.5, 1.0);
  EXPECT_NEAR(g, -0.8, 1e-12);
  std::tie(l, g) = one_token("dispo", 20.0, 1.0);
  EXPECT_NEAR(g, -11.0, 1e-12);
  std::tie(l, g) = one_token("dispo", 200.0, -1.0);
  EXPECT_NEAR(g, 101.0, 1e-9);
  std::tie(l, g) = one_token("dispo", 0.3, -2.0);
  EXPECT_NEAR(g, 0.6, 1e-12);
}

TEST(Losses, GspoUsesTheSequenceRatio) {
  PolicyLossInputs in;
  // Token log-ratios +1e-4 and -3e-4: mean -1e-4, s = exp(-1e-4), inside [1 - 3e-4, 1 + 4e-4].
  in.logp = at::zeros({1, 2}, at::kDouble).requires_grad_(true);
  in.old_logp = at::tensor(std::vector<double>{-1e-4, 3e-4}, at::kDouble).reshape({1, 2});
  in.advantages = at::full({1, 2}, 1.0, at::kDouble);
  in.mask = at::ones({1, 2}, at::kDouble);
  auto out = compute_policy_loss("gspo", in);
  out.loss.backward();
  const double s = std::exp(-1e-4);
  EXPECT_NEAR(out.loss.item<double>(), -s, 1e-12);
  // d(-s)/dlogp_t = -s / |o| for each token.
  EXPECT_NEAR(in.logp.grad()[0][0].item<double>(), -s / 2, 1e-12);
  EXPECT_NEAR(in.logp.grad()[0][1].item<double>(), -s / 2, 1e-12);
}

TEST(Losses, RealHandChecked) {
  PolicyLossInputs in;
  in.logp = at::tensor(std::vector<double>{0.2, 0.4, -0.3, 0.0}, at::kDouble).reshape({2, 2}).requires_grad_(true);
  in.old_logp = at::zeros({2, 2}, at::kDouble);
  in.advantages = at::zeros({2, 2}, at::kDouble);
  in.mask = at::ones({2, 2}, at::kDouble);
  in.mask[1][1] = 0;  // response 2 has one token: s_2 = -0.3
  in.rewards = at::tensor(std::vector<double>{1, 0}, at::kDouble);
  in.group_ids = at::zeros({2}, at::kLong);
  auto out = compute_policy_loss("real", in);
  const double s1 = 0.3, s2 = -0.3, tau = 0.5;
  EXPECT_NEAR(out.loss.item<double>(), std::log1p(std::exp(-s1 / tau)) + std::log1p(std::exp(s2 / tau)), 1e-12);
  out.loss.backward();
  // dL/ds1 = -sigmoid(-s1/tau)/tau, spread over 2 tokens.
  const double dl_ds1 = -1.0 / (1.0 + std::exp(s1 / tau)) / tau;
  EXPECT_NEAR(in.logp.grad()[0][0].item<double>(), dl_ds1 / 2, 1e-12);
  EXPECT_EQ(in.logp.grad()[1][1].item<double>(), 0.0);
}

TEST(Losses, AggregationsHandChecked) {
  auto l = at::tensor(std::vector<double>{1, 2, 3, 4, 5, 6}, at::kDouble).reshape({2, 3});
  auto m = at::tensor(std::vector<double>{1, 1, 0, 1, 1, 1}, at::kDouble).reshape({2, 3});
  EXPECT_DOUBLE_EQ(aggregate_loss(l, m, Aggregation::token_mean).item<double>(), 18.0 / 5);
  EXPECT_DOUBLE_EQ(aggregate_loss(l, m, Aggregation::seq_mean_token_sum).item<double>(), (3.0 + 15.0) / 2);
  EXPECT_DOUBLE_EQ(aggregate_loss(l, m, Aggregation::seq_mean_token_mean).item<double>(), (1.5 + 5.0) / 2);
  EXPECT_DOUBLE_EQ(aggregate_loss(l, m, Aggregation::seq_mean_token_sum_norm, 10).item<double>(), 18.0 / 2 / 10);
  EXPECT_DOUBLE_EQ(aggregate_loss(l, m, Aggregation::seq_mean_token_sum_norm).item<double>(), 18.0 / 2 / 3);
  EXPECT_EQ(parse_aggregation("seq-mean-token-sum-norm"), Aggregation::seq_mean_token_sum_norm);
  EXPECT_THROW(parse_aggregation("sum"), retort::ConfigError);
}

TEST(Losses, MicroBatchGradientsSumToTheFullBatchGradient) {
  at::manual_seed(3);
  PolicyLossInputs full;
  full.logp = at::randn({4, 5}, at::kDouble) - 2;
  full.old_logp = full.logp + 0.1 * at::randn({4, 5}, at::kDouble);
  full.advantages = at::randn({4, 1}, at::kDouble).expand({4, 5}).contiguous();
  full.mask = (at::rand({4, 5}) > 0.3).to(at::kDouble);
  full.mask.select(1, 0).fill_(1);
  for (auto aggregation : {Aggregation::token_mean, Aggregation::seq_mean_token_mean, Aggregation::seq_mean_token_sum}) {
    PolicyLossOptions o;
    o.aggregation = aggregation;
    auto whole = full;
    whole.logp = full.logp.clone().requires_grad_(true);
    compute_policy_loss("dapo", whole, o).loss.backward();
    auto logp = full.logp.clone().requires_grad_(true);
    o.normalizers = {full.mask.sum().item<double>(), 4.0};
    for (int64_t start : {0, 2}) {
      PolicyLossInputs micro;
      micro.logp = logp.narrow(0, start, 2);
      micro.old_logp = full.old_logp.narrow(0, start, 2);
      micro.advantages = full.advantages.narrow(0, start, 2);
      micro.mask = full.mask.narrow(0, start, 2);
      compute_policy_loss("dapo", micro, o).loss.backward();
    }
    EXPECT_TRUE(at::allclose(logp.grad(), whole.logp.grad(), 1e-12, 1e-14)) << to_string(aggregation);
  }
}

TEST(Losses, KlEstimatorsHandChecked) {
  auto logp = at::zeros({1, 1}, at::kDouble);
  auto ref = at::full({1, 1}, std::log(2.0), at::kDouble);
  const double delta = std::log(2.0);
  EXPECT_NEAR(kl_penalty(logp, ref, KlEstimator::k1).item<double>(), -delta, 1e-12);
  EXPECT_NEAR(kl_penalty(logp, ref, KlEstimator::k2).item<double>(), delta * delta / 2, 1e-12);
  EXPECT_NEAR(kl_penalty(logp, ref, KlEstimator::k3).item<double>(), 2.0 - delta - 1, 1e-12);
  // Clamps: delta at 20, k3 at 10.
  auto far = at::full({1, 1}, 50.0, at::kDouble);
  EXPECT_DOUBLE_EQ(kl_penalty(logp, far, KlEstimator::k1).item<double>(), -20.0);
  EXPECT_DOUBLE_EQ(kl_penalty(logp, far, KlEstimator::k3).item<double>(), 10.0);
  // KL in the reward: R - coef * sum over masked tokens.
  auto rewards = at::tensor(std::vector<double>{1.0}, at::kDouble);
  auto two = at::zeros({1, 2}, at::kDouble);
  auto ref2 = at::full({1, 2}, std::log(2.0), at::kDouble);
  auto mask = at::tensor(std::vector<double>{1, 0}, at::kDouble).reshape({1, 2});
  EXPECT_NEAR(rewards_minus_kl(rewards, two, ref2, mask, KlEstimator::k1, 0.5)[0].item<double>(), 1 + 0.5 * delta, 1e-12);
}

TEST(Losses, KlAndEntropyTermsAndMetrics) {
  PolicyLossInputs in;
  in.logp = at::zeros({1, 2}, at::kDouble).requires_grad_(true);
  in.old_logp = at::tensor(std::vector<double>{std::log(1.0 / 1.5), 0.0}, at::kDouble).reshape({1, 2});  // r = 1.5, 1
  in.advantages = at::ones({1, 2}, at::kDouble);
  in.mask = at::ones({1, 2}, at::kDouble);
  in.ref_logp = at::full({1, 2}, std::log(2.0), at::kDouble);
  in.entropy = at::tensor(std::vector<double>{1.0, 3.0}, at::kDouble).reshape({1, 2});
  PolicyLossOptions o;
  o.kl_coef = 0.1;
  o.kl_estimator = KlEstimator::k1;
  o.entropy_coef = 0.01;
  auto out = compute_policy_loss("ppo_clip", in, o);
  const double pg = (-1.2 - 1.0) / 2;
  EXPECT_NEAR(out.metrics.at("pg_loss"), pg, 1e-12);
  EXPECT_NEAR(out.metrics.at("kl"), -std::log(2.0), 1e-12);
  EXPECT_NEAR(out.metrics.at("entropy"), 2.0, 1e-12);
  EXPECT_NEAR(out.metrics.at("clip_ratio/high"), 0.5, 1e-12);
  EXPECT_NEAR(out.metrics.at("clip_ratio/low"), 0.0, 1e-12);
  EXPECT_NEAR(out.loss.item<double>(), pg + 0.1 * -std::log(2.0) - 0.01 * 2.0, 1e-12);
}

TEST(Losses, RatioUsesClampedLogDifference) {
  // log r = 30 is clamped to 20: ppo_clip with A < 0 gives l = r = e^20, not e^30.
  PolicyLossInputs in;
  in.logp = at::zeros({1, 1}, at::kDouble).requires_grad_(true);
  in.old_logp = at::full({1, 1}, -30.0, at::kDouble);
  in.advantages = at::full({1, 1}, -1.0, at::kDouble);
  in.mask = at::ones({1, 1}, at::kDouble);
  auto out = compute_policy_loss("ppo_clip", in);
  EXPECT_NEAR(out.loss.item<double>() / std::exp(20.0), 1.0, 1e-12);
  out.loss.backward();
  EXPECT_EQ(in.logp.grad().item<double>(), 0.0);  // clamped: no gradient through the clamp
}

TEST(Losses, RegistryNamesAndErrors) {
  std::vector<std::string> want = {"cispo", "dapo", "dispo", "gspo", "ppo_clip", "real"};
  EXPECT_EQ(policy_loss_names(), want);
  PolicyLossInputs in;
  in.logp = at::zeros({2, 3}, at::kDouble);
  in.old_logp = at::zeros({2, 3}, at::kDouble);
  in.advantages = at::zeros({2, 3}, at::kDouble);
  in.mask = at::ones({2, 2}, at::kDouble);
  try {
    compute_policy_loss("ppo_clip", in);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "policy loss/ppo_clip: mask must be (B, T) like logp 2x3");
  }
  in.mask = at::ones({2, 3}, at::kDouble);
  EXPECT_THROW(compute_policy_loss("vanilla", in), retort::ConfigError);
  PolicyLossOptions o;
  o.kl_coef = 0.1;
  EXPECT_THROW(compute_policy_loss("dapo", in, o), std::invalid_argument);  // no ref_logp
  EXPECT_THROW(compute_policy_loss("real", in), std::invalid_argument);     // no rewards
}
