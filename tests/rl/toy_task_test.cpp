// Toy task through the real Trainer: "reply with the digit the prompt spells out" ("seven" -> "7").
// A small seeded tiny policy first learns the answer format on uniformly random digits (SFT, so its
// sampled reward starts at chance, 0.1), then RL must lift the mean sampled reward above 0.9 within a
// bounded number of CPU steps — one test each for grpo, dapo (with dynamic sampling and refill), dispo
// and gspo. The reward is a test-only function: 1 when the completion is exactly the right digit.
//
// STATUS: DISABLED — not yet passing. Measured (grpo, lr 1e-3, 2 epochs, G = 16, 150 RL steps): the
// sampled reward goes from 0.06 (chance) to 0.50 (last three steps), greedy accuracy 0.10 -> 0.50;
// lr 3e-3 does not learn in 80 steps, lr 1e-2 collapses the format after one step. The trainer
// learns, but slower than the ~60 s budget allows at these settings; next: more steps or an easier
// prompt form, then re-enable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace fs = std::filesystem;
using retort::Example;
using retort::Score;

namespace {

const std::vector<std::string> kWords = {"zero", "one", "two", "three", "four",
                                         "five", "six", "seven", "eight", "nine"};

std::string trimmed(const std::string& s) {
  auto a = s.find_first_not_of(" \n\t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \n\t") - a + 1);
}

Score digit_reward(const Example& e, const std::string& completion) {
  Score s;
  s.correct = trimmed(completion) == std::to_string(e.answer.get<int>());
  s.total = s.correct ? 1.0 : 0.0;
  s.components["answer"] = s.total;
  return s;
}

std::vector<nlohmann::json> read_metrics(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

struct ToyRun {
  std::vector<nlohmann::json> rl_metrics;  // one per RL step
  nlohmann::json stages;
};

// The toy run with LOSS / ADVANTAGE and EXTRA rl keys; SFT_STEPS of format learning, RL_STEPS of RL.
ToyRun run_toy(const std::string& name, nlohmann::json rl_overrides, int64_t sft_steps, int64_t rl_steps) {
  fs::path dir = fs::temp_directory_path() / ("retort_toy_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream data(dir / "train.jsonl");
    for (int d = 0; d < 10; ++d)
      data << nlohmann::json{{"id", "d" + std::to_string(d)}, {"task", "toy_digit"}, {"prompt", kWords[d]}, {"answer", d}}.dump()
           << "\n";
  }
  nlohmann::json rl = {{"steps", rl_steps}, {"prompts_per_step", 10}, {"group_size", 16}, {"micro_batch_size", 160},
                       {"epochs", 2}, {"advantage", "grpo"}, {"max_new_tokens", 3}, {"lr", 0.001},
                       {"schedule", "constant"}, {"temperature", 1.0}};
  for (auto it = rl_overrides.begin(); it != rl_overrides.end(); ++it) rl[it.key()] = it.value();
  nlohmann::json config = {
      {"name", "toy_" + name},
      {"run_dir", dir.string()},
      {"seed", 3},
      {"threads", 1},
      {"model", {{"init", "tiny"}, {"vision", false},
                 {"tiny", {{"hidden_size", 64}, {"intermediate_size", 128}, {"num_hidden_layers", 2},
                           {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"head_dim", 16}}}}},
      {"data", {{"train", (dir / "train.jsonl").string()}, {"eval", (dir / "train.jsonl").string()},
                {"images", false}, {"system_prompt", "Reply with the digit."}}},
      {"sft", {{"steps", sft_steps}, {"batch_size", 20}, {"lr", 0.003}, {"schedule", "constant"}}},
      {"rl", rl},
      {"eval", {{"max_new_tokens", 3}, {"batch_size", 10}}},
      {"log", {{"samples_per_step", 0}}}};
  retort::Config parsed = retort::Config::from_json(config, name);
  auto train = retort::rl::TrainConfig::from(parsed);
  parsed.check_all_used();
  retort::rl::Trainer trainer(train, config);
  trainer.set_reward_function(digit_reward);
  // Format only: a uniformly random digit, whatever the prompt says (chance = 0.1 after SFT).
  trainer.set_sft_target_function([](const Example&, std::mt19937_64& rng) { return std::to_string(rng() % 10); });
  ToyRun run;
  run.stages = trainer.run();
  for (auto& m : read_metrics((dir / "metrics.jsonl").string()))
    if (m["step"].get<int64_t>() > sft_steps) run.rl_metrics.push_back(m);
  fs::remove_all(dir);
  return run;
}

// Chance before RL, > 0.9 mean sampled reward at the end (the last three steps), and the first step
// that crossed 0.9 within RL_STEPS; greedy accuracy on all ten prompts afterwards.
void expect_learns(const ToyRun& run, int64_t rl_steps, const std::string& label) {
  ASSERT_EQ(static_cast<int64_t>(run.rl_metrics.size()), rl_steps);
  double first = run.rl_metrics.front()["reward/mean"].get<double>();
  EXPECT_LT(first, 0.3) << label << ": the first RL step should be near chance (0.1)";
  double last3 = 0;
  for (int64_t i = rl_steps - 3; i < rl_steps; ++i) last3 += run.rl_metrics[i]["reward/mean"].get<double>() / 3;
  int64_t crossed = -1;
  for (int64_t i = 0; i < rl_steps && crossed < 0; ++i)
    if (run.rl_metrics[i]["reward/mean"].get<double>() > 0.9) crossed = i + 1;
  std::string curve;
  for (const auto& m : run.rl_metrics) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %.2f/%.2g/%.2g", m["reward/mean"].get<double>(), m.value("grad_norm", 0.0),
                  m.value("clip_ratio/low", 0.0) + m.value("clip_ratio/high", 0.0));
    curve += buf;
  }
  std::printf("[toy %s] reward/grad_norm/clip_ratio per RL step:%s\n", label.c_str(), curve.c_str());
  std::printf("[toy %s] reward first RL step %.3f, crossed 0.9 at RL step %lld, last three %.3f, greedy accuracy "
              "sft %.2f -> rl %.2f\n",
              label.c_str(), first, static_cast<long long>(crossed), last3,
              run.stages["sft"]["accuracy"].get<double>(), run.stages["rl"]["accuracy"].get<double>());
  EXPECT_GT(last3, 0.9) << label;
  EXPECT_GT(crossed, 0) << label;
  EXPECT_GE(run.stages["rl"]["accuracy"].get<double>(), 0.9) << label;
}

constexpr int64_t kSftSteps = 40;
constexpr int64_t kRlSteps = 150;

}  // namespace

TEST(ToyTask, DISABLED_GrpoLearnsTheDigit) {
  auto run = run_toy("grpo", {{"loss", "ppo_clip"}}, kSftSteps, kRlSteps);
  expect_learns(run, kRlSteps, "grpo");
}

TEST(ToyTask, DISABLED_DapoLearnsTheDigit) {
  auto run = run_toy("dapo", {{"loss", "dapo"}, {"dynamic_sampling", true}, {"max_refill_rounds", 3}}, kSftSteps, kRlSteps);
  expect_learns(run, kRlSteps, "dapo");
  for (const auto& m : run.rl_metrics) EXPECT_LE(m["rl/groups_kept"].get<double>(), 10.0);
}

TEST(ToyTask, DISABLED_DispoLearnsTheDigit) {
  auto run = run_toy("dispo", {{"loss", "dispo"}}, kSftSteps, kRlSteps);
  expect_learns(run, kRlSteps, "dispo");
}

TEST(ToyTask, DISABLED_GspoLearnsTheDigit) {
  auto run = run_toy("gspo", {{"loss", "gspo"}}, kSftSteps, kRlSteps);
  expect_learns(run, kRlSteps, "gspo");
}

