// The conditional SMILES generator of the active-learning loop (issue 9 item 1): the project's
// policy (model::Policy, tiny Qwen2 config, text only) on a character-level SMILES tokenizer
// (src/al/assets/smiles_tokenizer.json: one token per byte, one per condition bin; made by
// make_smiles_tokenizer.py) or the tiny BPE tokenizer (model/assets/tiny_tokenizer.json).
// A row is  <|endoftext|> CONDITION SMILES <|im_end|>, e.g. "<fosc=3><wl=5>" then "c1ccccc1";
// the loss covers the SMILES and <|im_end|> only. This header is torch-free (pimpl), so the loop and
// its tests compile without LibTorch headers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort::al {

struct GeneratorSettings {
  std::string tokenizer = "smiles";  // "smiles" | "tiny" | a tokenizer.json path
  nlohmann::json tiny_overrides = nlohmann::json::object();  // Qwen2 config keys over model/tiny_config
  uint64_t seed = 0;              // weight init
  int64_t max_new_tokens = 96;    // SMILES tokens per sample
  int threads = 0;                // at::set_num_threads when > 0
};

// The tokenizer.json file SETTINGS.tokenizer names.
std::string generator_tokenizer_path(const std::string& tokenizer);

struct TrainingPair {
  std::string condition;  // "<fosc=3><wl=5>"
  std::string smiles;
};

struct TrainSettings {
  int steps = 100;
  int batch_size = 32;
  double lr = 1e-3;
  int warmup_steps = 0;
  uint64_t seed = 0;      // batch order
  std::string label = "train";  // progress bar label
};

struct GeneratedSmiles {
  std::string condition;
  std::string smiles;                   // the decoded completion without <|im_end|>
  std::vector<int64_t> prompt_ids;      // <|endoftext|> + condition tokens
  std::vector<int64_t> completion_ids;  // sampled tokens (with <|im_end|> when it finished)
  bool finished = false;                // ended with <|im_end|> (not cut at max_new_tokens)
  double temperature = 1.0;
};

struct GrpoSettings {
  double lr = 1e-4;
  int group_size = 8;                // consecutive samples sharing a prompt form one group
  std::string advantage = "grpo";    // src/rl advantage registry
  std::string loss = "ppo_clip";     // src/rl policy-loss registry
  double kl_coef = 0.0;
};

struct GrpoReport {
  double loss = 0, grad_norm = 0, reward_mean = 0;
};

class SmilesGenerator {
 public:
  // A randomly initialised generator (tiny config with SETTINGS' overrides, no vision).
  static SmilesGenerator create(const GeneratorSettings& settings);
  // A generator saved by save() (Hugging Face layout).
  static SmilesGenerator load(const std::string& dir, const GeneratorSettings& settings);
  SmilesGenerator(SmilesGenerator&&) noexcept;
  SmilesGenerator& operator=(SmilesGenerator&&) noexcept;
  ~SmilesGenerator();

  // The weights (atomic, model/checkpoint.h) and tokenizer.json; after a grpo_step also the GRPO
  // optimiser's AdamW moments and counters (trainer_state.json, optimizer.pt, torch_rng.bin of
  // src/rl/trainer_state.h), which load() restores into the next grpo_step's optimiser.
  void save(const std::string& dir) const;

  // Teacher-forced cross-entropy on PAIRS (token-mean over SMILES tokens), AdamW, fresh optimiser;
  // returns the mean loss of the last min(10, steps) steps. Throws when PAIRS is empty.
  double train(const std::vector<TrainingPair>& pairs, const TrainSettings& settings);

  // One sample per entry of CONDITIONS at TEMPERATURE (batches of BATCH_SIZE), seeded.
  std::vector<GeneratedSmiles> sample(const std::vector<std::string>& conditions, double temperature,
                                      uint64_t seed, int batch_size = 64) const;

  // One GRPO update over SAMPLES (laid out as consecutive groups of settings.group_size) with
  // REWARDS (one per sample): advantages and the policy loss from src/rl's registries; the
  // optimiser persists across calls (and across save()/load()).
  GrpoReport grpo_step(const std::vector<GeneratedSmiles>& samples, const std::vector<double>& rewards,
                       const GrpoSettings& settings);

  int64_t parameter_count() const;

 private:
  struct State;
  explicit SmilesGenerator(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace retort::al
