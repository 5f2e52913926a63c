// Toy task through the real Trainer: "reply with the digit the prompt spells out" ("two two ..." -> "2"),
// four digits (zero..three, chance 0.25). A seeded tiny policy first learns the answer format on
// uniformly random digits (SFT, so its sampled reward starts at chance), then RL must lift the mean
// sampled reward above 0.9 (the last three steps) and greedy accuracy to all four prompts within 100 RL
// steps (30-80 s on the loaded 2-core box) — one test each for grpo (ppo_clip), dapo (with dynamic sampling
// and refill), dispo and gspo. The reward is a test-only function: 1 when the completion is exactly the
// right digit. Setup: 1 layer, hidden 32, UNTIED embeddings, the word 6 times, system prompt "D",
// G = 16, 2 epochs, AdamW lr 4e-3 cosine; grpo adds entropy_coef 0.01.
//
// Why untied: with tied input/output embeddings, the format SFT (a random digit per visit) pushes every
// never-targeted token's output logit down, and AdamW's per-coordinate normalisation turns those tiny
// gradients into full-lr steps in one shared direction — after 30 steps the prompt words' INPUT
// embeddings are nearly identical and the policy can no longer tell the prompts apart. Measured: tied,
// 30 random-target SFT steps then 40 correct-target SFT steps leave greedy accuracy at 0.25 (chance);
// untied, the same schedule reaches 1.00. Tied, hidden 32: RL stayed at chance for 40 steps at lr 3e-3
// and 1e-2; tied, hidden 64: slow and seed-dependent (0.25 to 0.75 in 40 steps).
// Seed sensitivity (these settings, seeds 3/4/5/6; step that crossed 0.9, x = fails the test): grpo
// 28/x/36/x, dapo 34/34/48/x, dispo 27/x/39/34, gspo 41/x/x/x — 9 of 16 pass. Failures lock a prompt
// onto a wrong digit (0.75: its all-zero groups carry no signal) or are still climbing at step 60.
// 4 epochs and 40 steps instead: grpo 19/19/15/25, dispo 17/x/18/25, gspo 28/-/25/-, dapo x/-/21/-.
// 100 steps (the tests' setting; the cosine schedule stretches with it): grpo 28/39/-/55, dapo
// 27/-/-/42, dispo 25/x/-/-, gspo 39/46/36/53 — 10 of the 11 runs pass, every failure of the 60-step
// sweep that was rerun included except dispo at seed 4 (a prompt locked on a wrong digit). The margin
// matters because another CPU's float rounding is, for these chaotic runs, like another seed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
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

// The toy setup. Defaults are the tests' settings; RETORT_TOY_* env vars override them for tuning runs
// of DISABLED_Experiment only.
struct ToyOptions {
  int digits = 4;            // prompts "zero" .. kWords[digits-1]; chance = 1/digits
  int64_t sft_steps = 30;
  double sft_lr = 0.01;
  int64_t rl_steps = 100;
  nlohmann::json rl;         // rl.* keys on top of the defaults below
  nlohmann::json tiny = {{"hidden_size", 32}, {"intermediate_size", 64}, {"num_hidden_layers", 1},
                         {"num_attention_heads", 2}, {"num_key_value_heads", 1}, {"head_dim", 16},
                         {"tie_word_embeddings", false}};
  uint64_t seed = 3;
  int repeat = 6;            // the word this many times in the prompt ("two two two")
  std::string system_prompt = "D";
  // Tuning controls (DISABLED_Experiment only):
  int64_t correct_sft_after = -1;  // >= 0: SFT targets become the right digit after this many rows
  bool constant_target = false;    // reward "0" whatever the prompt (needs no prompt conditioning)
  bool keep_dir = false;           // keep the run directory (metrics, samples, eval files)
  int64_t eval_batch_size = 0;     // 0 = all prompts in one batch
};

struct ToyRun {
  std::vector<nlohmann::json> rl_metrics;  // one per RL step
  nlohmann::json stages;
  double seconds = 0;
};

ToyRun run_toy(const std::string& name, const ToyOptions& o) {
  fs::path dir = fs::temp_directory_path() / ("retort_toy_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream data(dir / "train.jsonl");
    for (int d = 0; d < o.digits; ++d) {
      std::string prompt = kWords[d];
      for (int r = 1; r < o.repeat; ++r) prompt += " " + kWords[d];
      data << nlohmann::json{{"id", "d" + std::to_string(d)}, {"task", "toy_digit"}, {"prompt", prompt}, {"answer", d}}.dump() << "\n";
    }
  }
  nlohmann::json rl = {{"steps", o.rl_steps}, {"prompts_per_step", o.digits}, {"group_size", 16},
                       {"micro_batch_size", 16 * o.digits}, {"epochs", 2}, {"advantage", "grpo"},
                       {"max_new_tokens", 3}, {"lr", 0.004}, {"schedule", "cosine"}, {"temperature", 1.0}};
  for (auto it = o.rl.begin(); it != o.rl.end(); ++it) rl[it.key()] = it.value();
  nlohmann::json config = {
      {"name", "toy_" + name},
      {"run_dir", dir.string()},
      {"seed", o.seed},
      {"threads", 1},
      {"model", {{"init", "tiny"}, {"vision", false}, {"tiny", o.tiny}}},
      {"data", {{"train", (dir / "train.jsonl").string()}, {"eval", (dir / "train.jsonl").string()},
                {"images", false}, {"system_prompt", o.system_prompt}}},
      {"sft", {{"steps", o.sft_steps}, {"batch_size", 4 * o.digits}, {"lr", o.sft_lr}, {"schedule", "constant"}}},
      {"rl", rl},
      {"eval", {{"max_new_tokens", 3}, {"batch_size", o.eval_batch_size > 0 ? o.eval_batch_size : o.digits}}},
      {"log", {{"samples_per_step", o.keep_dir ? 16 * o.digits : 0}}}};
  auto start = std::chrono::steady_clock::now();
  retort::Config parsed = retort::Config::from_json(config, name);
  auto train = retort::rl::TrainConfig::from(parsed);
  parsed.check_all_used();
  retort::rl::Trainer trainer(train, config);
  if (o.constant_target) {
    trainer.set_reward_function([](const Example& e, const std::string& c) {
      Example zero = e;
      zero.answer = 0;
      return digit_reward(zero, c);
    });
  } else {
    trainer.set_reward_function(digit_reward);
  }
  // Format only: a uniformly random digit, whatever the prompt says (chance = 1/digits after SFT).
  const int digits = o.digits;
  auto rows = std::make_shared<int64_t>(0);
  const int64_t correct_after = o.correct_sft_after;
  trainer.set_sft_target_function([digits, correct_after, rows](const Example& e, std::mt19937_64& rng) {
    uint64_t random = rng() % static_cast<uint64_t>(digits);
    const bool correct = correct_after >= 0 && (*rows)++ >= correct_after;
    return std::to_string(correct ? e.answer.get<int>() : static_cast<int>(random));
  });
  ToyRun run;
  run.stages = trainer.run();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& m : read_metrics((dir / "metrics.jsonl").string()))
    if (m["step"].get<int64_t>() > o.sft_steps) run.rl_metrics.push_back(m);
  if (!o.keep_dir) fs::remove_all(dir);
  return run;
}

// Chance before RL (the first step's sampled reward, and greedy accuracy after SFT, which can only be
// one digit for all prompts or a lucky mapping), > 0.9 mean sampled reward at the end (the last three
// steps), the first step that crossed 0.9, and greedy accuracy on every prompt afterwards.
void expect_learns(const ToyRun& run, const ToyOptions& o, const std::string& label) {
  ASSERT_EQ(static_cast<int64_t>(run.rl_metrics.size()), o.rl_steps);
  const double chance = 1.0 / o.digits;
  double first = run.rl_metrics.front()["reward/mean"].get<double>();
  double last3 = 0;
  for (int64_t i = o.rl_steps - 3; i < o.rl_steps; ++i) last3 += run.rl_metrics[i]["reward/mean"].get<double>() / 3;
  int64_t crossed = -1;
  for (int64_t i = 0; i < o.rl_steps && crossed < 0; ++i)
    if (run.rl_metrics[i]["reward/mean"].get<double>() > 0.9) crossed = i + 1;
  std::string curve;
  for (const auto& m : run.rl_metrics) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %.2f/%.2g/%.2g", m["reward/mean"].get<double>(), m.value("grad_norm", 0.0),
                  m.value("clip_ratio/low", 0.0) + m.value("clip_ratio/high", 0.0));
    curve += buf;
  }
  std::printf("[toy %s] reward/grad_norm/clip_ratio per RL step:%s\n", label.c_str(), curve.c_str());
  std::printf("[toy %s] chance %.3f; reward first RL step %.3f, crossed 0.9 at RL step %lld of %lld, last three %.3f; "
              "greedy accuracy sft %.2f -> rl %.2f; %.1f s\n",
              label.c_str(), chance, first, static_cast<long long>(crossed), static_cast<long long>(o.rl_steps), last3,
              run.stages["sft"]["accuracy"].get<double>(), run.stages["rl"]["accuracy"].get<double>(), run.seconds);
  EXPECT_NEAR(first, chance, 0.15) << label << ": the first RL step should be near chance";
  EXPECT_GT(last3, 0.9) << label;
  EXPECT_GT(crossed, 0) << label;
  EXPECT_GE(run.stages["rl"]["accuracy"].get<double>(), 0.99) << label << ": greedy answers after RL";
}

ToyOptions toy_options(nlohmann::json rl) {
  ToyOptions o;
  o.rl = std::move(rl);
  return o;
}

}  // namespace

TEST(ToyTask, GrpoLearnsTheDigit) {
  auto o = toy_options({{"loss", "ppo_clip"}, {"entropy_coef", 0.01}});
  expect_learns(run_toy("grpo", o), o, "grpo");
}

TEST(ToyTask, DapoLearnsTheDigit) {
  auto o = toy_options({{"loss", "dapo"}, {"dynamic_sampling", true}, {"max_refill_rounds", 3}});
  auto run = run_toy("dapo", o);
  expect_learns(run, o, "dapo");
  for (const auto& m : run.rl_metrics) EXPECT_LE(m["rl/groups_kept"].get<double>(), o.digits);
}

TEST(ToyTask, DispoLearnsTheDigit) {
  auto o = toy_options({{"loss", "dispo"}});
  expect_learns(run_toy("dispo", o), o, "dispo");
}

TEST(ToyTask, GspoLearnsTheDigit) {
  auto o = toy_options({{"loss", "gspo"}});
  expect_learns(run_toy("gspo", o), o, "gspo");
}

// Tuning aid (never runs by default; --gtest_also_run_disabled_tests): RETORT_TOY_RL='{"loss":"gspo"}',
// RETORT_TOY_TINY='{...}', RETORT_TOY_DIGITS, RETORT_TOY_SFT_STEPS, RETORT_TOY_SFT_LR, RETORT_TOY_RL_STEPS,
// RETORT_TOY_SEED, RETORT_TOY_REPEAT, RETORT_TOY_SYSTEM, RETORT_TOY_SFT_CORRECT=ROWS (supervised control),
// RETORT_TOY_CONSTANT=1 (prompt-independent control), RETORT_TOY_EVAL_BS, RETORT_TOY_KEEP=1 (keep the run dir).
TEST(ToyTask, DISABLED_Experiment) {
  ToyOptions o;
  if (const char* v = std::getenv("RETORT_TOY_RL")) o.rl = nlohmann::json::parse(v);
  if (const char* v = std::getenv("RETORT_TOY_TINY")) o.tiny = nlohmann::json::parse(v);
  if (const char* v = std::getenv("RETORT_TOY_DIGITS")) o.digits = std::atoi(v);
  if (const char* v = std::getenv("RETORT_TOY_SFT_STEPS")) o.sft_steps = std::atoll(v);
  if (const char* v = std::getenv("RETORT_TOY_SFT_LR")) o.sft_lr = std::atof(v);
  if (const char* v = std::getenv("RETORT_TOY_RL_STEPS")) o.rl_steps = std::atoll(v);
  if (const char* v = std::getenv("RETORT_TOY_SEED")) o.seed = std::strtoull(v, nullptr, 10);
  if (const char* v = std::getenv("RETORT_TOY_REPEAT")) o.repeat = std::atoi(v);
  if (const char* v = std::getenv("RETORT_TOY_SYSTEM")) o.system_prompt = v;
  if (const char* v = std::getenv("RETORT_TOY_SFT_CORRECT")) o.correct_sft_after = std::atoll(v);
  if (const char* v = std::getenv("RETORT_TOY_EVAL_BS")) o.eval_batch_size = std::atoll(v);
  o.constant_target = std::getenv("RETORT_TOY_CONSTANT") != nullptr;
  o.keep_dir = std::getenv("RETORT_TOY_KEEP") != nullptr;
  expect_learns(run_toy("experiment", o), o, "experiment");
}
