// `retort train` with two processes on loopback (Gloo, scripts/launch's variables) ends with the same
// parameters as one process with the same global batch: three SFT steps of batch 4 (two prompts per
// rank), compared tensor by tensor in the saved model.safetensors (max |diff| <= 1e-6). Also: only
// rank 0 writes metrics (one line per step), and a two-process run stopped after two steps and
// resumed to three ends where the uninterrupted run does. The learning rate is 1e-3: AdamW divides by
// sqrt(v) + 1e-8, so float32 rounding differences (each rank pads its own rows; gradients are summed in
// another order) in near-zero gradient entries become update differences of up to lr * 1e-4 -- measured
// 2.3e-6 at lr 0.01 (docs/distributed.md), while loss and grad norm agree to 1e-8.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "model/safetensors_tensor.h"
#include "spawn.h"

namespace fs = std::filesystem;

namespace {

// Eight BBBP training examples (datasets/moleculenet/bbbp.csv lines 3-11), without the image.
const char* kTrainLines[] = {
    R"({"id":"bbbp-00003","task":"bbbp","smiles":"C(=O)(OC(C)(C)C)CCCc1ccc(cc1)N(CCCl)CCCl","answer":true})",
    R"({"id":"bbbp-00004","task":"bbbp","smiles":"c12c3c(N4CCN(C)CC4)c(F)cc1c(c(C(O)=O)cn2C(C)CO3)=O","answer":true})",
    R"({"id":"bbbp-00005","task":"bbbp","smiles":"C1CCN(CC1)Cc1cccc(c1)OCCCNC(=O)C","answer":true})",
    R"({"id":"bbbp-00006","task":"bbbp","smiles":"Cc1onc(c2ccccc2Cl)c1C(=O)N[C@H]3[C@H]4SC(C)(C)[C@@H](N4C3=O)C(O)=O","answer":true})",
    R"({"id":"bbbp-00007","task":"bbbp","smiles":"CCN1CCN(C(=O)N[C@@H](C(=O)N[C@H]2[C@H]3SCC(=C(N3C2=O)C(O)=O)CSc4nnnn4C)c5ccc(O)cc5)C(=O)C1=O","answer":true})",
    R"({"id":"bbbp-00009","task":"bbbp","smiles":"Cn1c2CCC(Cn3ccnc3C)C(=O)c2c4ccccc14","answer":true})",
    R"({"id":"bbbp-00011","task":"bbbp","smiles":"NC(N)=NC(=O)c1nc(Cl)c(N)nc1N","answer":true})",
    R"({"id":"bbbp-00012","task":"bbbp","smiles":"CCCCC","answer":false})",
};

struct Workspace {
  fs::path root;
  Workspace() {
    root = fs::temp_directory_path() / ("retort-dist-test-" + std::to_string(getpid()));
    fs::create_directories(root);
    std::ofstream train(root / "train.jsonl");
    for (const char* line : kTrainLines) {
      auto j = nlohmann::json::parse(line);
      j["prompt"] = "SMILES: " + j["smiles"].get<std::string>() +
                    "\nDoes this molecule penetrate the blood-brain barrier?\nThink inside <think>...</think>, then give "
                    "yes or no inside <answer>...</answer>.";
      train << j.dump() << "\n";
    }
  }
  ~Workspace() { fs::remove_all(root); }

  // A config for a tiny policy (hidden 64, 2 layers) trained SFT_STEPS steps of batch 4 into RUN, then
  // RL_STEPS steps of 2 prompts x 2 greedy rollouts (the rollouts then do not depend on the sampler seed;
  // identical rollouts give zero GRPO advantages, so the entropy bonus carries the gradient).
  std::string config(const std::string& run, int sft_steps, int rl_steps = 0) const {
    nlohmann::json c = {
        {"name", run},
        {"run_dir", (root / run).string()},
        {"seed", 3},
        {"threads", 1},
        {"model",
         {{"init", "tiny"},
          {"vision", false},
          {"tiny",
           {{"hidden_size", 64}, {"intermediate_size", 128}, {"num_hidden_layers", 2}, {"num_attention_heads", 2},
            {"num_key_value_heads", 1}, {"head_dim", 32}}}}},
        {"data", {{"train", (root / "train.jsonl").string()}, {"images", false}}},
        {"sft", {{"steps", sft_steps}, {"batch_size", 4}, {"lr", 1e-3}, {"schedule", "constant"}}},
        {"rl",
         {{"steps", rl_steps}, {"prompts_per_step", 2}, {"group_size", 2}, {"micro_batch_size", 2},
          {"max_new_tokens", 6}, {"temperature", 0.0}, {"entropy_coef", 0.05}, {"lr", 1e-3}, {"schedule", "constant"}}},
        {"checkpoint", {{"every", 1}, {"keep", 3}}},
        {"log", {{"samples_per_step", 0}}}};
    fs::path path = root / (run + ".json");
    std::ofstream(path) << c.dump(2);
    return path.string();
  }
};

struct RunResult {
  std::vector<int> codes;
  double seconds = 0;
};

RunResult train(const std::string& config, int world, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {RETORT_BINARY, "train", config};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto start = std::chrono::steady_clock::now();
  RunResult result;
  if (world == 1) {
    result.codes = retort::dist::testing::run_ranks(argv, 1);  // RANK=0 WORLD_SIZE=1: no process group
  } else {
    result.codes = retort::dist::testing::run_ranks(argv, world, {{"RETORT_DIST_TIMEOUT_S", "120"}});
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::map<std::string, at::Tensor> final_model(const fs::path& run, int step) {
  return retort::model::load_safetensors((run / "checkpoints" / ("step-" + std::to_string(step)) / "model.safetensors").string());
}

double max_difference(const std::map<std::string, at::Tensor>& a, const std::map<std::string, at::Tensor>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0;
  for (const auto& [name, tensor] : a) {
    auto other = b.find(name);
    if (other == b.end()) {
      ADD_FAILURE() << name << " missing";
      continue;
    }
    worst = std::max(worst, (tensor.to(at::kDouble) - other->second.to(at::kDouble)).abs().max().item<double>());
  }
  return worst;
}

int64_t lines_in(const fs::path& path) {
  std::ifstream in(path);
  int64_t count = 0;
  for (std::string line; std::getline(in, line);) count += !line.empty();
  return count;
}

}  // namespace

TEST(DistributedTraining, TwoGlooRanksEqualOneProcessAfterThreeSftSteps) {
  Workspace w;
  auto single = train(w.config("single", 3), 1);
  ASSERT_EQ(single.codes, (std::vector<int>{0}));
  auto pair = train(w.config("pair", 3), 2);
  ASSERT_EQ(pair.codes, (std::vector<int>{0, 0}));
  auto one = final_model(w.root / "single", 3), two = final_model(w.root / "pair", 3);
  const double difference = max_difference(one, two);
  const double moved = max_difference(one, final_model(w.root / "single", 1));
  std::printf("sft 3 steps, batch 4: 1 process %.1f s, 2 processes %.1f s; max |param diff| %.3g (the run moved "
              "parameters by up to %.3g between steps 1 and 3)\n",
              single.seconds, pair.seconds, difference, moved);
  EXPECT_LE(difference, 1e-6);
  EXPECT_GT(moved, 5e-4);  // the comparison is not between untrained models
  EXPECT_EQ(lines_in(w.root / "pair" / "metrics.jsonl"), 3);  // rank 0 alone writes, one line per step
  EXPECT_EQ(lines_in(w.root / "single" / "metrics.jsonl"), 3);
  // The logged global loss is the single process's.
  std::ifstream a(w.root / "single" / "metrics.jsonl"), b(w.root / "pair" / "metrics.jsonl");
  for (std::string la, lb; std::getline(a, la) && std::getline(b, lb);)
    EXPECT_NEAR(nlohmann::json::parse(la)["loss"].get<double>(), nlohmann::json::parse(lb)["loss"].get<double>(), 1e-5);
}

TEST(DistributedTraining, TwoRanksResumeFromRankZerosCheckpoint) {
  Workspace w;
  auto straight = train(w.config("straight", 3), 2);
  ASSERT_EQ(straight.codes, (std::vector<int>{0, 0}));
  auto first = train(w.config("resumed", 2), 2);  // stops after step 2 (checkpoint step-2)
  ASSERT_EQ(first.codes, (std::vector<int>{0, 0}));
  auto second = train(w.config("resumed", 3), 2);  // every rank resumes from step-2
  ASSERT_EQ(second.codes, (std::vector<int>{0, 0}));
  const double difference = max_difference(final_model(w.root / "straight", 3), final_model(w.root / "resumed", 3));
  std::printf("2 ranks, stopped at step 2 and resumed to 3 vs straight to 3: max |param diff| %.3g\n", difference);
  EXPECT_LE(difference, 1e-6);
}

TEST(DistributedTraining, TwoGlooRanksEqualOneProcessAfterSftAndTwoGreedyRlSteps) {
  Workspace w;
  auto single = train(w.config("single", 1, 2), 1);
  ASSERT_EQ(single.codes, (std::vector<int>{0}));
  auto pair = train(w.config("pair", 1, 2), 2);
  ASSERT_EQ(pair.codes, (std::vector<int>{0, 0}));
  const double difference = max_difference(final_model(w.root / "single", 3), final_model(w.root / "pair", 3));
  const double moved = max_difference(final_model(w.root / "single", 3), final_model(w.root / "single", 1));
  std::printf("1 sft + 2 greedy rl steps: 1 process %.1f s, 2 processes %.1f s; max |param diff| %.3g (rl moved "
              "parameters by up to %.3g)\n",
              single.seconds, pair.seconds, difference, moved);
  EXPECT_LE(difference, 1e-6);
  EXPECT_GT(moved, 1e-4);
  EXPECT_EQ(lines_in(w.root / "pair" / "metrics.jsonl"), 3);
}
