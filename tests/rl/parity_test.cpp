// Parity of every advantage estimator and policy loss (values and d loss / d logp) with a Python
// reference that writes each formula in plain torch (tests/parity/test_rl_reference.py), and of the
// grpo/dapo/bnpo/dr_grpo/gspo/cispo losses with TRL's GRPOTrainer._compute_loss on the same inputs.
// C++ writes inputs and outputs as JSON; the Python script recomputes and compares within 1e-6.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "rl/advantages.h"
#include "rl/checkpoint.h"
#include "rl/losses.h"
#include "rl/optimizer.h"
#include "rl_test_util.h"
#include "tests/support/run_command.h"

namespace {

using nlohmann::json;
using namespace retort::rl;
using retort::rl::test::tensor_to_json;

json advantage_case(const std::string& name, const AdvantageInputs& in, const AdvantageOptions& opts,
                    const std::string& scaling_label) {
  json c;
  c["name"] = name;
  c["scaling"] = scaling_label;
  c["eps"] = opts.eps;
  c["rewards"] = tensor_to_json(in.rewards);
  c["group_ids"] = tensor_to_json(in.group_ids);
  c["response_mask"] = tensor_to_json(in.response_mask);
  if (in.token_ids.defined()) c["token_ids"] = tensor_to_json(in.token_ids);
  if (in.valid_mask.defined()) c["valid_mask"] = tensor_to_json(in.valid_mask);
  if (in.metric.defined()) c["metric"] = tensor_to_json(in.metric);
  c["advantages"] = tensor_to_json(compute_advantages(name, in, opts));
  return c;
}

json loss_case(const std::string& label, const std::string& name, const PolicyLossInputs& base,
               const PolicyLossOptions& opts, const json& options_json, const std::string& trl_loss_type = "") {
  PolicyLossInputs in = base;
  in.logp = base.logp.detach().clone().requires_grad_(true);
  auto out = compute_policy_loss(name, in, opts);
  out.loss.backward();
  json c;
  c["label"] = label;
  c["name"] = name;
  c["options"] = options_json;
  c["logp"] = tensor_to_json(base.logp);
  c["old_logp"] = tensor_to_json(base.old_logp);
  c["advantages"] = tensor_to_json(base.advantages);
  c["mask"] = tensor_to_json(base.mask);
  if (base.ref_logp.defined()) c["ref_logp"] = tensor_to_json(base.ref_logp);
  if (base.entropy.defined()) c["entropy"] = tensor_to_json(base.entropy);
  if (base.rewards.defined()) c["rewards"] = tensor_to_json(base.rewards);
  if (base.group_ids.defined()) c["group_ids"] = tensor_to_json(base.group_ids);
  c["loss"] = out.loss.item<double>();
  c["grad_logp"] = tensor_to_json(in.logp.grad());
  c["metrics"] = out.metrics;
  if (!trl_loss_type.empty()) c["trl_loss_type"] = trl_loss_type;
  return c;
}

// A (B, T) mask whose row i has LENGTHS[i] leading ones.
at::Tensor prefix_mask(const std::vector<int64_t>& lengths, int64_t T) {
  auto m = at::zeros({static_cast<int64_t>(lengths.size()), T}, at::kDouble);
  for (size_t i = 0; i < lengths.size(); ++i) m[i].narrow(0, 0, lengths[i]).fill_(1.0);
  return m;
}

json build_advantage_cases() {
  at::manual_seed(7);
  json cases = json::array();
  // 13 responses: groups of 4, 4, 4 (ids shuffled, non-contiguous), one all-equal group, one singleton.
  const int64_t T = 6;
  std::vector<int64_t> gids = {3, 1, 3, 1, 9, 3, 1, 9, 9, 1, 3, 9, 5};
  auto group_ids = at::tensor(gids, at::kLong);
  auto rewards = at::rand({13}, at::kDouble);
  rewards.index_put_({group_ids == 9}, 0.5);  // a zero-variance group
  rewards[0] = 1.0;
  rewards[2] = 0.0;
  auto mask = prefix_mask({6, 5, 6, 3, 6, 4, 6, 6, 2, 6, 5, 6, 1}, T);
  // Tokens from a 3-letter vocabulary so the groups' responses share prefixes (tempo's tree branches).
  auto tokens = at::randint(0, 3, {13, T}, at::kLong);
  AdvantageInputs in{rewards, group_ids, mask, tokens, {}, at::rand({13}, at::kDouble)};
  for (auto scaling : {RewardScaling::group, RewardScaling::batch, RewardScaling::none}) {
    AdvantageOptions o;
    o.scaling = scaling;
    cases.push_back(advantage_case("grpo", in, o, to_string(scaling)));
    cases.push_back(advantage_case("tempo", in, o, to_string(scaling)));
  }
  for (std::string name : {"drgrpo", "rloo", "reinforce_pp", "canon", "grpo", "tempo"})
    cases.push_back(advantage_case(name, in, {}, "default"));
  // tempo with tool tokens: valid everywhere the mask says, loss mask with a hole.
  AdvantageInputs tool = in;
  tool.valid_mask = mask;
  tool.response_mask = mask.clone();
  tool.response_mask.select(1, 1).zero_();
  cases.push_back(advantage_case("tempo", tool, {}, "default"));
  AdvantageOptions canon_opts;
  canon_opts.canon_alpha = 0.7;
  canon_opts.canon_mu = 0.4;
  auto canon = advantage_case("canon", in, canon_opts, "default");
  canon["canon_alpha"] = 0.7;
  canon["canon_mu"] = 0.4;
  cases.push_back(canon);
  return cases;
}

json build_loss_cases() {
  at::manual_seed(11);
  json cases = json::array();
  const int64_t B = 8, T = 7;
  PolicyLossInputs in;
  in.logp = at::log_softmax(at::randn({B, T, 5}, at::kDouble), -1).select(-1, 0);
  in.old_logp = in.logp + 0.3 * at::randn({B, T}, at::kDouble);
  in.mask = prefix_mask({7, 3, 5, 7, 1, 6, 7, 2}, T);
  auto rewards = at::tensor(std::vector<double>{1, 0, 0, 1, 1, 1, 0, 0}, at::kDouble);
  auto group_ids = contiguous_group_ids(B, 4);
  in.advantages = compute_advantages("grpo", {rewards, group_ids, in.mask, {}, {}, {}});
  in.ref_logp = in.logp + 0.2 * at::randn({B, T}, at::kDouble);
  in.entropy = at::rand({B, T}, at::kDouble) * 2;
  auto plain = in;
  plain.ref_logp = at::Tensor();
  plain.entropy = at::Tensor();

  cases.push_back(loss_case("ppo_clip", "ppo_clip", plain, {}, json::object()));
  {
    PolicyLossOptions o;
    o.dual_clip = true;
    auto big = plain;
    big.old_logp = plain.logp - 1.5 * at::rand({B, T}, at::kDouble);  // ratios up to e^1.5 > 3
    cases.push_back(loss_case("ppo_clip_dual", "ppo_clip", big, o, {{"dual_clip", true}, {"dual_clip_c", 3.0}}));
  }
  cases.push_back(loss_case("dapo", "dapo", plain, {}, json::object(), "dapo"));
  {
    PolicyLossOptions o;
    o.aggregation = Aggregation::seq_mean_token_mean;
    cases.push_back(loss_case("grpo_trl", "ppo_clip", plain, o, {{"aggregation", "seq-mean-token-mean"}}, "grpo"));
    o.aggregation = Aggregation::token_mean;
    cases.push_back(loss_case("bnpo_trl", "ppo_clip", plain, o, {{"aggregation", "token-mean"}}, "bnpo"));
    o.aggregation = Aggregation::seq_mean_token_sum_norm;
    o.max_length = 10;
    cases.push_back(loss_case("dr_grpo_trl", "ppo_clip", plain, o,
                              {{"aggregation", "seq-mean-token-sum-norm"}, {"max_length", 10}}, "dr_grpo"));
    o.aggregation = Aggregation::seq_mean_token_sum;
    o.max_length = 0;
    cases.push_back(loss_case("ppo_seq_sum", "ppo_clip", plain, o, {{"aggregation", "seq-mean-token-sum"}}));
  }
  {
    auto near = plain;  // GSPO's clip range is 3e-4/4e-4: ratios near 1 so some sequences are inside it
    near.old_logp = plain.logp + 1e-3 * at::randn({B, T}, at::kDouble);
    cases.push_back(loss_case("gspo", "gspo", near, {}, json::object(), "gspo"));
  }
  cases.push_back(loss_case("cispo", "cispo", plain, {}, json::object(), "cispo"));
  {
    auto wide = plain;
    wide.old_logp = plain.logp + 1.5 * at::randn({B, T}, at::kDouble);
    cases.push_back(loss_case("dispo", "dispo", wide, {}, json::object()));
    PolicyLossOptions o;
    o.eps_pos_low = 0.1;
    o.eps_pos_high = 0.5;
    o.eps_neg_low = 0.3;
    o.eps_neg_high = 2.0;
    cases.push_back(loss_case("dispo_tight", "dispo", wide, o,
                              {{"eps_pos_low", 0.1}, {"eps_pos_high", 0.5}, {"eps_neg_low", 0.3}, {"eps_neg_high", 2.0}}));
  }
  {
    auto labelled = plain;
    labelled.rewards = rewards;
    labelled.rewards[4] = 0.0;  // group 1: 3 positive, 1 negative
    labelled.group_ids = group_ids.clone();
    labelled.group_ids[7] = 5;  // a singleton group (one outcome only: ignored)
    cases.push_back(loss_case("real", "real", labelled, {}, json::object()));
  }
  for (auto [est, label] : {std::pair{KlEstimator::k1, "k1"}, {KlEstimator::k2, "k2"}, {KlEstimator::k3, "k3"}}) {
    PolicyLossOptions o;
    o.kl_coef = 0.1;
    o.kl_estimator = est;
    auto with_ref = plain;
    with_ref.ref_logp = in.ref_logp;
    cases.push_back(loss_case(std::string("dapo_kl_") + label, "dapo", with_ref, o,
                              {{"kl_coef", 0.1}, {"kl_estimator", label}}, est == KlEstimator::k3 ? "dapo" : ""));
  }
  {
    PolicyLossOptions o;
    o.entropy_coef = 0.01;
    o.normalizers.tokens = 100;  // a micro-batch of a 100-token global batch
    cases.push_back(loss_case("dapo_entropy_global", "dapo", in, o, {{"entropy_coef", 0.01}, {"global_tokens", 100}}));
  }
  return cases;
}

json build_schedule_cases() {
  json cases = json::array();
  for (std::string kind : {"cosine", "constant"}) {
    OptimizerOptions o;
    o.lr = 1e-3;
    o.warmup_steps = 5;
    o.total_steps = 40;
    o.schedule = kind;
    json lrs = json::array();
    for (int64_t s = 0; s <= 45; ++s) lrs.push_back(learning_rate_at(o, s));
    cases.push_back({{"schedule", kind}, {"lr", o.lr}, {"warmup_steps", 5}, {"total_steps", 40}, {"lrs", lrs}});
  }
  return cases;
}

}  // namespace

TEST(RlParity, EveryEstimatorAndLossMatchesPythonReferenceAndTrl) {
  auto dir = std::filesystem::temp_directory_path() / ("retort_rl_parity_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  json all = {{"advantage_cases", build_advantage_cases()},
              {"loss_cases", build_loss_cases()},
              {"schedule_cases", build_schedule_cases()}};
  auto path = dir / "cases.json";
  std::ofstream(path) << all.dump();
  auto run = retort::testing::run_command(std::string(RETORT_PYTHON) + " " + RETORT_SOURCE_DIR +
                                          "/tests/parity/test_rl_reference.py '" + path.string() + "'");
  std::cout << run.output;
  EXPECT_EQ(run.status, 0) << run.output;
  // The script prints one line per comparison; make sure TRL was really compared.
  EXPECT_NE(run.output.find("trl dapo"), std::string::npos);
  EXPECT_NE(run.output.find("trl grpo"), std::string::npos);
  retort::rl::remove_tree(dir);
}
