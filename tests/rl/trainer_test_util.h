// Helpers for tests that run the real Trainer on tiny data: a scratch run directory, a task file, a
// small seeded tiny-policy config (text only, 2 layers of width 64), and metrics.jsonl reading.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace retort::rl::test {

// A fresh directory under the temp dir, removed when this object goes away.
struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("retort_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

inline std::string write_examples(const std::filesystem::path& file, const std::vector<nlohmann::json>& examples) {
  std::ofstream out(file);
  for (const auto& e : examples) out << e.dump() << "\n";
  return file.string();
}

// A text-only tiny policy config (2 x 64) with RL only (no SFT, no evaluation), MAX_NEW_TOKENS 2.
inline nlohmann::json small_config(const std::filesystem::path& run_dir, const std::string& train_file, int64_t rl_steps) {
  return {{"name", "test"},
          {"run_dir", run_dir.string()},
          {"seed", 5},
          {"threads", 1},
          {"model", {{"init", "tiny"}, {"vision", false},
                     {"tiny", {{"hidden_size", 64}, {"intermediate_size", 128}, {"num_hidden_layers", 2},
                               {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"head_dim", 16}}}}},
          {"data", {{"train", train_file}, {"images", false}, {"system_prompt", "Answer."}}},
          {"rl", {{"steps", rl_steps}, {"prompts_per_step", 2}, {"group_size", 2}, {"micro_batch_size", 16},
                  {"max_new_tokens", 2}, {"lr", 0.001}, {"schedule", "constant"}}},
          {"log", {{"samples_per_step", 0}}}};
}

inline TrainConfig parse_config(const nlohmann::json& config) {
  Config parsed = Config::from_json(config, "test.json");
  TrainConfig train = TrainConfig::from(parsed);
  parsed.check_all_used();
  return train;
}

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace retort::rl::test
