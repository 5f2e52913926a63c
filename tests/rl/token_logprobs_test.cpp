// token_logprobs: the fused path (kernels::fused_logprob, the default) equals the plain log_softmax
// path on a padded batch of the tiny policy within 1e-5 in fp32 - log-probs, entropies and the
// gradients of every weight (the tied embedding/LM head included) - and the path comes from
// RETORT_LOGPROB_PATH.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.h"
#include "model/tiny_config.h"
#include "rl/token_logprobs.h"

using namespace retort;

namespace {

struct PathResult {
  at::Tensor logp, entropy;
  std::vector<at::Tensor> grads;
};

PathResult run_path(model::Policy& policy, const rl::SequenceBatch& batch, rl::LogprobPath path) {
  for (at::Tensor p : policy.parameters()) p.mutable_grad() = at::Tensor();
  rl::TokenLogprobs lp = rl::token_logprobs(policy, batch, /*with_entropy=*/true, path);
  ((lp.logp * batch.loss_mask).sum() + 0.3 * (lp.entropy * batch.loss_mask).sum()).backward();
  PathResult r{lp.logp.detach(), lp.entropy.detach(), {}};
  for (const at::Tensor& p : policy.parameters()) r.grads.push_back(p.grad().defined() ? p.grad().clone() : at::zeros_like(p));
  return r;
}

}  // namespace

TEST(TokenLogprobs, FusedEqualsPlainWithGradients) {
  model::Policy policy = model::create_tiny_policy(7, /*with_vision=*/false);
  policy.set_requires_grad(true);
  const int64_t V = policy.config().vocab_size;
  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(3);
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<float>> masks;
  for (int64_t length : {11, 6, 9}) {
    at::Tensor row = at::randint(0, V, {length}, g, at::TensorOptions().dtype(at::kLong));
    ids.emplace_back(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + length);
    std::vector<float> mask(length, 1.0f);
    mask[0] = mask[1] = 0.0f;  // a prompt of two tokens
    masks.push_back(mask);
  }
  const rl::SequenceBatch batch = rl::pack_sequences(ids, masks, {}, /*pad_id=*/0, at::kCPU);
  const PathResult plain = run_path(policy, batch, rl::LogprobPath::plain);
  const PathResult fused = run_path(policy, batch, rl::LogprobPath::fused);
  ASSERT_EQ(fused.logp.sizes(), batch.input_ids.sizes());
  EXPECT_EQ(fused.logp.select(1, 0).abs().max().item<float>(), 0.0f);     // column 0: no prediction
  EXPECT_EQ(fused.entropy.select(1, 0).abs().max().item<float>(), 0.0f);
  EXPECT_LE((fused.logp - plain.logp).abs().max().item<double>(), 1e-5);
  EXPECT_LE((fused.entropy - plain.entropy).abs().max().item<double>(), 1e-5);
  // A random tiny policy is close to uniform over its vocabulary: entropy near log V.
  EXPECT_NEAR(plain.entropy.select(1, 3).mean().item<double>(), std::log(static_cast<double>(V)), 0.5);
  ASSERT_EQ(fused.grads.size(), plain.grads.size());
  for (size_t i = 0; i < fused.grads.size(); ++i)
    EXPECT_LE((fused.grads[i] - plain.grads[i]).abs().max().item<double>(), 1e-5) << "parameter " << i;
  EXPECT_GT(fused.grads[0].abs().max().item<double>(), 0.0);  // the gradients are not trivially zero
}

TEST(TokenLogprobs, PathComesFromTheEnvironment) {
  ::unsetenv("RETORT_LOGPROB_PATH");
  EXPECT_EQ(rl::default_logprob_path(), rl::LogprobPath::fused);
  ::setenv("RETORT_LOGPROB_PATH", "plain", 1);
  EXPECT_EQ(rl::default_logprob_path(), rl::LogprobPath::plain);
  ::setenv("RETORT_LOGPROB_PATH", "fast", 1);
  try {
    rl::default_logprob_path();
    ADD_FAILURE() << "no error for RETORT_LOGPROB_PATH=fast";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "RETORT_LOGPROB_PATH must be 'fused' or 'plain', got 'fast'");
  }
  ::unsetenv("RETORT_LOGPROB_PATH");
}
