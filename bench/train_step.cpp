// bench_train_step: one RL step of the tiny default policy (vision on, P = 4 prompts x G = 8 rollouts of
// up to 128 tokens, bbbp-style prompts with rendered molecules, the chem verifiers, dapo loss, a k3 KL
// term so the reference phase runs) through the real Trainer. Runs two steps and reports the second
// (warm): per-phase seconds (rollout, reward, ref, update), tokens/s, and the update phase's achieved
// FLOP/s against a matmul peak (at::mm, fp32, best of several sizes) measured in the same process.
// Prints one JSON line.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "model/tiny_config.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Best fp32 matmul rate over square sizes, 5 timed repetitions each after a warm-up.
double matmul_peak_flop_per_s() {
  double best = 0;
  for (int64_t n : {256, 512, 1024, 2048}) {
    at::Tensor a = at::randn({n, n}), b = at::randn({n, n});
    at::mm(a, b);
    for (int rep = 0; rep < 5; ++rep) {
      auto t = Clock::now();
      at::Tensor c = at::mm(a, b);
      double s = std::chrono::duration<double>(Clock::now() - t).count();
      best = std::max(best, 2.0 * n * n * n / s);
    }
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "/tmp/bench_train_step";
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  }
  fs::create_directories(dir);
  at::set_num_threads(threads);
  const char* smiles[] = {"CCO", "c1ccccc1O", "CC(=O)Oc1ccccc1C(=O)O", "CCN(CC)CC",
                          "OC(=O)CCC(=O)O", "c1ccncc1", "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "CN1CCC[C@H]1c2cccnc2"};
  {
    std::ofstream data(dir + "/train.jsonl");
    for (int i = 0; i < 8; ++i)
      data << nlohmann::json{{"id", "m" + std::to_string(i)}, {"task", "bbbp"}, {"smiles", smiles[i]}, {"image", true},
                             {"prompt", std::string("<|image|>\nSMILES: ") + smiles[i] +
                                            "\nDoes this molecule penetrate the blood-brain barrier?\nThink inside "
                                            "<think>...</think>, then give yes or no inside <answer>...</answer>."},
                             {"answer", i % 2 == 0}}.dump()
           << "\n";
  }
  const int64_t P = 4, G = 8, max_new = 128, epochs = 1;
  nlohmann::json config = {
      {"name", "bench_train_step"},
      {"run_dir", dir + "/run"},
      {"seed", 0},
      {"threads", threads},
      {"model", {{"init", "tiny"}, {"vision", true}}},
      {"data", {{"train", dir + "/train.jsonl"}, {"images", true}}},
      {"rl", {{"steps", 2}, {"prompts_per_step", P}, {"group_size", G}, {"micro_batch_size", 16}, {"epochs", epochs},
              {"loss", "dapo"}, {"kl_coef", 0.001}, {"max_new_tokens", max_new}, {"lr", 1e-4}}},
      {"log", {{"samples_per_step", 0}}}};
  fs::remove_all(dir + "/run");
  retort::Config parsed = retort::Config::from_json(config, "bench_train_step");
  auto train = retort::rl::TrainConfig::from(parsed);
  parsed.check_all_used();
  retort::rl::Trainer trainer(train, config);
  trainer.run();

  nlohmann::json step;
  {
    std::ifstream in(dir + "/run/metrics.jsonl");
    for (std::string line; std::getline(in, line);) step = nlohmann::json::parse(line);  // the last (warm) step
  }
  const auto& policy = trainer.policy();
  const auto& c = policy.config();
  const double H = c.hidden_size, I = c.intermediate_size, L = c.num_hidden_layers, V = c.vocab_size;
  const double q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim;
  const double decoder_matmul = L * (H * q + 2 * H * kv + q * H + 3 * H * I) + H * V;  // + the LM head
  double decoder_params = V * H + L * (H * q + 2 * H * kv + q * H + 3 * H * I);
  const double vision_params = std::max(0.0, static_cast<double>(policy.parameter_count()) - decoder_params);
  const double patches = policy.has_vision() ? policy.vision()->config().num_patches() : 0;
  const double tokens = step.value("perf/tokens", 0.0), rows = static_cast<double>(P * G);
  const double row_length = tokens / rows;
  // Forward FLOPs: 2 x matmul weights per token, causal attention scores and values (2 x 2 x L x q x T^2 / 2
  // per row), the image encoder per row; training = forward + backward = 3 x forward, per epoch.
  const double forward = 2 * decoder_matmul * tokens + rows * 2 * L * q * row_length * row_length +
                         rows * 2 * vision_params * patches;
  const double update_flops = 3 * forward * epochs;
  const double update_s = step["timing_s/update"].get<double>();
  const double peak = matmul_peak_flop_per_s();
  const double step_s = step["timing_s/rollout"].get<double>() + step["timing_s/reward"].get<double>() +
                        step["timing_s/ref"].get<double>() + update_s;
  nlohmann::json out = {
      {"bench", "train_step"},
      {"threads", threads},
      {"parameters", policy.parameter_count()},
      {"rows", P * G},
      {"tokens", tokens},
      {"mean_completion_length", step["completions/mean_length"]},
      {"timing_s", {{"rollout", step["timing_s/rollout"]}, {"reward", step["timing_s/reward"]},
                    {"ref", step["timing_s/ref"]}, {"update", update_s}, {"step", step_s}}},
      {"tokens_per_s", step["perf/tokens_per_s"]},
      {"update_gflop", update_flops / 1e9},
      {"update_gflop_per_s", update_flops / update_s / 1e9},
      {"matmul_peak_gflop_per_s", peak / 1e9},
      {"update_vs_matmul_peak", update_flops / update_s / peak}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
