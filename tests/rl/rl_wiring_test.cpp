// The RL step's optional pieces through the real Trainer, each checked by its effect: DAPO refill
// (the requested number of groups with reward spread), hard-sample mining (stage 1 skips persistent
// failures, stage 2 oversamples them with more rollouts, state in the checkpoint), Scaf-GRPO hints (a
// hint enters the prompt after N zero visits, tiers escalate), noisy-verifier correction, SAR and
// likelihood rewards (known arithmetic), a frozen reference only with a KL term, and config errors.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <map>
#include <set>

#include "core/errors.h"
#include "model/tiny_config.h"
#include "rl/likelihood_scoring.h"
#include "rl/token_logprobs.h"
#include "trainer_test_util.h"

using namespace retort;
using namespace retort::rl;
using namespace retort::rl::test;

namespace {

std::vector<nlohmann::json> numbered_examples(const std::vector<std::string>& ids) {
  std::vector<nlohmann::json> out;
  for (const auto& id : ids) out.push_back({{"id", id}, {"task", "toy"}, {"prompt", "item " + id}, {"answer", "yes"}});
  return out;
}

Score fixed_score(double total, bool correct) {
  Score s;
  s.total = total;
  s.correct = correct;
  s.components["answer"] = total;
  return s;
}

}  // namespace

TEST(RlWiring, DynamicSamplingRefillsToTheRequestedGroups) {
  ScratchDir dir("refill");
  // "m*" examples alternate 0/1 rewards (spread in every group); "f*" always score 0 (no spread).
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"m0", "m1", "f0", "f1", "f2", "f3", "f4", "f5"}));
  for (int64_t rounds : {0, 20}) {
    auto config = small_config(dir.path / ("run" + std::to_string(rounds)), train, 4);
    config["rl"]["prompts_per_step"] = 3;
    config["rl"]["dynamic_sampling"] = true;
    config["rl"]["max_refill_rounds"] = rounds;
    Trainer trainer(parse_config(config), config);
    int64_t calls = 0, alternate = 0;
    trainer.set_reward_function([&](const Example& e, const std::string&) {
      ++calls;
      return e.id[0] == 'm' ? fixed_score(static_cast<double>(alternate++ % 2), false) : fixed_score(0, false);
    });
    trainer.run();
    auto metrics = read_jsonl(dir.path / ("run" + std::to_string(rounds)) / "metrics.jsonl");
    ASSERT_EQ(metrics.size(), 4u);
    double generated = 0, min_kept = 1e9, max_rounds = 0;
    for (const auto& m : metrics) {
      generated += m["rl/prompts_generated"].get<double>();
      min_kept = std::min(min_kept, m["rl/groups_kept"].get<double>());
      max_rounds = std::max(max_rounds, m["rl/refill_rounds"].get<double>());
      EXPECT_LE(m["rl/groups_kept"].get<double>(), 3.0);
    }
    EXPECT_EQ(calls, static_cast<int64_t>(generated) * 2);  // every generated group was scored (G = 2)
    if (rounds == 0) {
      EXPECT_EQ(generated, 12.0);  // no refill: exactly P prompts per step
      EXPECT_LT(min_kept, 3.0);    // 3 draws from 8 with only 2 "m": some step keeps fewer
      EXPECT_EQ(max_rounds, 0.0);
    } else {
      EXPECT_EQ(min_kept, 3.0);  // refilled to P groups with spread every step
      EXPECT_GT(generated, 12.0);
      EXPECT_GE(max_rounds, 1.0);
    }
  }
}

TEST(RlWiring, HardSampleMiningSkipsThenOversamplesFailures) {
  ScratchDir dir("mining");
  std::vector<std::string> ids = {"h0", "h1", "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7"};
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples(ids));
  auto config = small_config(dir.path / "run", train, 16);
  config["rl"]["prompts_per_step"] = 5;
  config["rl"]["lr"] = 0.0;
  config["rl"]["hard_sample_mining"] = {{"min_attempts", 2}, {"oversample_factor", 8.0}, {"hard_group_size", 4},
                                        {"stage2_step", 9}, {"sparse_window", 1000}};
  Trainer trainer(parse_config(config), config);
  std::vector<std::string> calls;  // the example id of every scored rollout, in order
  trainer.set_reward_function([&](const Example& e, const std::string&) {
    calls.push_back(e.id);
    return e.id[0] == 'h' ? fixed_score(0, false) : fixed_score(1, true);
  });
  trainer.run();
  auto metrics = read_jsonl(dir.path / "run" / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 16u);
  double stage2_hard = 0;
  for (const auto& m : metrics) {
    int64_t s = m["step"].get<int64_t>();
    EXPECT_EQ(m["hard_samples/stage"].get<double>(), s >= 9 ? 2.0 : 1.0) << "step " << s;
    if (s >= 9) stage2_hard += m["hard_samples/batch_hard_fraction"].get<double>() / 8;
  }
  // Stage 1 (8 steps x 5 prompts x 2 rollouts = the first 80 calls): one all-failed visit (2 attempts)
  // makes "h*" a persistent failure, never drawn again in stage 1.
  ASSERT_GT(calls.size(), 80u);
  std::map<std::string, int> stage1, stage2;
  for (size_t i = 0; i < calls.size(); ++i) (i < 80 ? stage1 : stage2)[calls[i]] += 1;
  EXPECT_LE(stage1["h0"], 2);
  EXPECT_LE(stage1["h1"], 2);
  EXPECT_GE(stage1["h0"] + stage1["h1"], 2);
  // Stage 2 weighs a known failure 8:1 (expected share of draws 16/24 when both are known) and rolls
  // it out hard_group_size = 4 times per visit.
  EXPECT_GT(stage2_hard, 0.4);
  const HardSampleMiner* miner = trainer.hard_sample_miner();
  ASSERT_NE(miner, nullptr);
  for (const auto& id : {"h0", "h1"}) {
    if (!stage1[id]) continue;
    const auto& st = miner->stats().at(id);
    EXPECT_EQ(st.attempts, 2 + 4 * (st.visits - 1)) << id;  // 2 in stage 1, then 4 per stage-2 visit
    EXPECT_TRUE(miner->is_persistent_failure(id));
  }
  EXPECT_EQ(stage2["h0"] % 4, 0);
  // The state travels in the checkpoint.
  auto state = nlohmann::json::parse(std::ifstream(dir.path / "run" / "checkpoints" / "step-16" / "trainer_state.json"));
  EXPECT_EQ(state["hard_samples"]["stage"], 2);
  EXPECT_EQ(state["hard_samples"]["examples"]["e0"][1].get<int64_t>(), miner->stats().at("e0").attempts);
}

TEST(RlWiring, HardSampleMiningWhenEveryExampleFailsMovesToStageTwo) {
  ScratchDir dir("mining_all_fail");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a", "b"}));
  auto config = small_config(dir.path / "run", train, 4);
  config["rl"]["hard_sample_mining"] = {{"min_attempts", 2}};
  Trainer trainer(parse_config(config), config);
  trainer.set_reward_function([](const Example&, const std::string&) { return fixed_score(0, false); });
  trainer.run();  // stage 1 has nothing to draw once both failed: stage 2, not an error
  EXPECT_EQ(trainer.hard_sample_miner()->stage(), 2);
  EXPECT_EQ(read_jsonl(dir.path / "run" / "metrics.jsonl").size(), 4u);
}

TEST(RlWiring, HintEntersThePromptAfterPatienceZeroVisitsAndTiersEscalate) {
  ScratchDir dir("hints");
  nlohmann::json example = {{"id", "q"}, {"task", "toy"}, {"prompt", "hard question"}, {"answer", "yes"},
                            {"meta", {{"hints", {"knowledge", "plan", "partial"}}}}};
  auto train = write_examples(dir.path / "train.jsonl", {example});
  auto config = small_config(dir.path / "run", train, 4);
  config["rl"]["prompts_per_step"] = 1;
  config["rl"]["hints"] = {{"patience", 2}, {"warmup_fraction", 0.0}};
  Trainer trainer(parse_config(config), config);
  std::vector<std::string> prompts;  // every prompt scored, in order
  trainer.set_reward_function([&](const Example& e, const std::string&) {
    prompts.push_back(e.prompt);
    bool solved = e.prompt.size() > 4 && e.prompt.substr(e.prompt.size() - 4) == "plan";  // only tier 1 helps
    return fixed_score(solved ? 1 : 0, solved);
  });
  trainer.run();
  // Step 1: one zero visit (2 plain rollouts), no hint yet. Step 2: the second zero visit -> tier 0
  // (fails), tier 1 (solves). Steps 3 and 4 fail plainly again and go through the tiers again.
  std::vector<std::string> expected = {"hard question", "hard question",                          // step 1
                                       "hard question", "hard question",                          // step 2 plain
                                       "hard question\n\nHint: knowledge", "hard question\n\nHint: plan"};
  ASSERT_GE(prompts.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(prompts[i], expected[i]) << "call " << i;
  const HintScaffold* hints = trainer.hint_scaffold();
  ASSERT_NE(hints, nullptr);
  EXPECT_EQ(hints->last_solving_tier("q"), 1);
  EXPECT_EQ(hints->solved_per_tier()[0], 0);
  EXPECT_EQ(hints->solved_per_tier()[1], 3);  // steps 2, 3, 4
  auto metrics = read_jsonl(dir.path / "run" / "metrics.jsonl");
  EXPECT_EQ(metrics[0]["hints/solved"].get<double>(), 0.0);
  EXPECT_EQ(metrics[1]["hints/solved"].get<double>(), 1.0);
  // The solved hinted rollout replaced a failed one: the step's accuracy is 1 of 2.
  EXPECT_DOUBLE_EQ(metrics[1]["accuracy"].get<double>(), 0.5);
}

TEST(RlWiring, NoisyVerifierBackwardCorrection) {
  ScratchDir dir("noisy");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a", "b"}));
  auto config = small_config(dir.path / "run", train, 1);
  config["rl"]["noisy_verifier"] = {{"correction", "backward"}, {"false_positive_rate", 0.1}, {"false_negative_rate", 0.2}};
  Trainer trainer(parse_config(config), config);
  trainer.set_reward_function([](const Example& e, const std::string&) { return fixed_score(e.id == "a" ? 1 : 0, e.id == "a"); });
  trainer.run();
  auto m = read_jsonl(dir.path / "run" / "metrics.jsonl").at(0);
  // Both examples once (2 prompts per step, one epoch of 2): R_hat = (1 - 0.1)/0.7 and (0 - 0.1)/0.7.
  EXPECT_NEAR(m["reward/mean"].get<double>(), ((0.9 / 0.7) + (-0.1 / 0.7)) / 2, 1e-12);
}

TEST(RlWiring, SelfAlignedAndLikelihoodRewardsAddTheirComponents) {
  ScratchDir dir("sar");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a", "b"}));
  for (std::string kind : {"sar", "log_prob", "verifree", "rlpr"}) {
    auto config = small_config(dir.path / kind, train, 1);
    if (kind == "sar") config["rl"]["sar_weight"] = 0.2;
    else config["rl"]["likelihood_reward"] = {{"kind", kind}, {"weight", 0.5}};
    Trainer trainer(parse_config(config), config);
    trainer.set_reward_function([](const Example&, const std::string&) { return fixed_score(1, true); });
    trainer.run();
    auto m = read_jsonl(dir.path / kind / "metrics.jsonl").at(0);
    std::string component = kind == "sar" ? "rewards/self_aligned/mean" : "rewards/likelihood/mean";
    ASSERT_TRUE(m.contains(component)) << kind;
    double value = m[component].get<double>();
    double weight = kind == "sar" ? 0.2 : 0.5;
    EXPECT_NEAR(m["reward/mean"].get<double>(), 1.0 + weight * value, 1e-9) << kind;
    if (kind == "sar") EXPECT_TRUE(value >= -1.0 && value < 1.0) << value;
    if (kind == "log_prob") EXPECT_LT(value, 0.0);                 // mean log-prob of "yes"
    if (kind == "log_prob") EXPECT_GT(value, std::log(1.0 / 4096) - 3.0);  // near uniform for a random policy
    if (kind == "verifree") EXPECT_EQ(value, 0.0);                 // random completions have no answer slot
    if (kind == "rlpr") EXPECT_GE(value, 0.0);
  }
}

// The log-prob reward's direct term: -sum_n c_n sum_t log pi(a*_t | q, z_n), c_n = weight / |a*|, divided by
// the policy loss's token count (dapo: token-mean), so its value is -weight * sum_n R_n / tokens; and it is
// what moves log pi(a*): with it, 6 steps raise the reward far above the REINFORCE term alone.
TEST(RlWiring, LikelihoodAnswerGradientTrainsTheReferenceAnswer) {
  ScratchDir dir("answer_gradient");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a", "b"}));
  std::map<bool, double> last_reward;
  for (bool on : {true, false}) {
    auto config = small_config(dir.path / (on ? "on" : "off"), train, 6);
    config["rl"]["loss"] = "dapo";
    config["rl"]["lr"] = 0.01;
    config["rl"]["likelihood_reward"] = {{"kind", "log_prob"}, {"weight", 0.5}, {"answer_gradient", on}};
    Trainer trainer(parse_config(config), config);
    trainer.set_reward_function([](const Example&, const std::string&) { return fixed_score(1, true); });
    trainer.run();
    auto rows = read_jsonl(dir.path / (on ? "on" : "off") / "metrics.jsonl");
    ASSERT_EQ(rows.size(), 6u);
    const auto& first = rows.front();
    EXPECT_EQ(first.contains("likelihood/answer_loss"), on);
    if (on) {
      double mean_r = first["rewards/likelihood/mean"].get<double>();
      double tokens_per_row = first["completions/mean_length"].get<double>();
      EXPECT_NEAR(first["likelihood/answer_loss"].get<double>(), -0.5 * mean_r / tokens_per_row, 1e-5);
      EXPECT_NEAR(first["likelihood/answer_nll"].get<double>(), -mean_r, 1e-5);  // "yes" is one token here
    }
    last_reward[on] = rows.back()["rewards/likelihood/mean"].get<double>();
  }
  EXPECT_GT(last_reward[true], last_reward[false] + 1.0) << last_reward[true] << " vs " << last_reward[false];
}

TEST(RlWiring, ContinuationLogprobsMatchAFullForward) {
  auto tokenizer = model::Tokenizer::tiny_default();
  auto arch = model::tiny_config(tokenizer, false);
  arch.hidden_size = 64, arch.intermediate_size = 128, arch.num_hidden_layers = 2, arch.head_dim = 16;
  auto policy = model::Policy::create(arch, 7);
  std::vector<ContinuationRequest> requests = {{{5, 9, 11, 40}, {7, 8}, {}}, {{3}, {100, 200, 300}, {}}, {{4, 4}, {}, {}}};
  auto got = continuation_logprobs(policy, requests, 0, 2);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[2].empty());
  for (size_t r = 0; r < 2; ++r) {
    std::vector<int64_t> ids = requests[r].prefix;
    ids.insert(ids.end(), requests[r].continuation.begin(), requests[r].continuation.end());
    SequenceBatch one = pack_sequences({ids}, {std::vector<float>(ids.size(), 1.0f)}, {}, 0, at::kCPU);
    at::NoGradGuard no_grad;
    at::Tensor logp = token_logprobs(policy, one, false).logp[0];  // (T,)
    ASSERT_EQ(got[r].size(), requests[r].continuation.size());
    for (size_t j = 0; j < got[r].size(); ++j)
      EXPECT_NEAR(got[r][j], logp[requests[r].prefix.size() + j].item<double>(), 1e-5) << r << "," << j;
  }
  Example e;
  e.answer = true;
  EXPECT_EQ(*reference_answer_text_of(e), "yes");
  e.answer = nlohmann::json{{"value", -3.25}};
  EXPECT_EQ(*reference_answer_text_of(e), "-3.25");
  e.answer = nlohmann::json::object();
  EXPECT_FALSE(reference_answer_text_of(e).has_value());
}

TEST(RlWiring, ReferencePolicyOnlyWithKl) {
  ScratchDir dir("reference");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a", "b"}));
  for (double kl : {0.0, 0.05}) {
    auto run = dir.path / ("kl" + std::to_string(kl > 0));
    auto config = small_config(run, train, 2);
    config["rl"]["kl_coef"] = kl;
    Trainer trainer(parse_config(config), config);
    trainer.set_reward_function([](const Example& e, const std::string& c) { return fixed_score(c.size() % 2, false); });
    trainer.run();
    EXPECT_EQ(trainer.has_reference_policy(), kl > 0);
    EXPECT_EQ(std::filesystem::exists(run / "checkpoints" / "step-2" / "reference" / "model.safetensors"), kl > 0);
    auto m = read_jsonl(run / "metrics.jsonl");
    if (kl > 0) EXPECT_TRUE(m[0].contains("kl"));
  }
}

TEST(RlWiring, ConfigKeysAreCheckedAndDefaultsOff) {
  ScratchDir dir("config");
  auto train = write_examples(dir.path / "train.jsonl", numbered_examples({"a"}));
  auto config = small_config(dir.path / "run", train, 1);
  TrainConfig plain = parse_config(config);
  EXPECT_FALSE(plain.rl.hard_sample_mining.enabled);
  EXPECT_FALSE(plain.rl.hints.enabled);
  EXPECT_EQ(plain.rl.likelihood_reward.kind, "none");
  EXPECT_EQ(plain.rl.noisy_verifier.correction, "none");
  config["rl"]["hard_sample_mining"] = true;
  EXPECT_TRUE(parse_config(config).rl.hard_sample_mining.enabled);
  config["rl"]["hard_sample_mining"] = {{"enabled", false}, {"min_attempts", 3}};
  EXPECT_FALSE(parse_config(config).rl.hard_sample_mining.enabled);
  config["rl"]["hints"] = {{"patiense", 2}};
  EXPECT_THROW(parse_config(config), ConfigError);
  config["rl"].erase("hints");
  config["rl"]["noisy_verifier"] = {{"correction", "backward"}, {"false_positive_rate", 0.6}, {"false_negative_rate", 0.5}};
  EXPECT_THROW(parse_config(config), ConfigError);
  config["rl"].erase("noisy_verifier");
  config["rl"]["likelihood_reward"] = {{"kind", "log_prob"}, {"std_filter", true}};
  EXPECT_THROW(parse_config(config), ConfigError);
}
