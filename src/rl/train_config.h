// TrainConfig: the resolved, validated settings of a `retort train` run (SFT and/or RL), read from the
// run's JSON config through core/Config so every error names the file and the key.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "rl/optimizer.h"
#include "rl/tool_settings.h"

namespace retort::rl {

struct ModelSettings {
  std::string init = "tiny";       // "tiny" (seeded random init of the default tiny policy) or a HF checkpoint dir
  nlohmann::json tiny;             // overrides of the tiny architecture (hidden_size, num_hidden_layers, ...)
  bool vision = true;              // tiny only: add the image encoder
  std::string dtype = "float32";   // "float32" | "bfloat16"
  std::string device = "cpu";      // "cpu" | "cuda"
};

struct DataSettings {
  std::string train;               // task JSONL
  std::string eval;                // task JSONL (held out)
  int64_t eval_limit = 0;          // 0 = all eval examples
  bool images = true;              // render the molecule into <|image|> placeholders
  bool balance_labels = false;     // yes/no tasks: oversample the minority answer (rl/data_order.h)
  std::string system_prompt;
};

struct SftSettings {
  int64_t steps = 0;
  int64_t batch_size = 8;
  std::string trace_length = "brief";  // cold-start traces: "full" | "brief"
  OptimizerOptions optimizer;
};

struct RlSettings {
  int64_t steps = 0;
  int64_t prompts_per_step = 4;
  int64_t group_size = 8;
  int64_t epochs = 1;              // update passes over each batch of rollouts
  int64_t micro_batch_size = 8;
  std::string advantage = "grpo";
  std::string loss = "dapo";
  std::string aggregation;         // "" = the loss's default
  std::string scaling;             // "" = the estimator's default
  double kl_coef = 0.0;            // > 0 loads a frozen reference policy
  std::string kl_estimator = "k3";
  double entropy_coef = 0.0;
  std::string old_logprobs = "sampler";  // "sampler" | "recompute"
  bool dynamic_sampling = false;   // DAPO: drop groups whose rewards are all equal
  int64_t overlong_buffer = 0;     // DAPO overlong shaping buffer (0 = off)
  int64_t max_new_tokens = 128;
  double temperature = 1.0, top_p = 1.0, min_p = 0.0;
  int64_t top_k = 0;
  OptimizerOptions optimizer;
};

struct EvalSettings {
  int64_t max_new_tokens = 128;
  int64_t batch_size = 16;
  bool at_stage_ends = true;       // evaluate before SFT, after SFT and after RL
};

struct TrainConfig {
  std::string name;
  std::string run_dir;             // default runs/<name>
  uint64_t seed = 0;
  int threads = 0;                 // torch intra-op threads (0 = library default)
  ModelSettings model;
  DataSettings data;
  SftSettings sft;
  RlSettings rl;
  EvalSettings eval;
  nlohmann::json reward;           // RewardSpec JSON (core/reward_spec.h); empty = defaults
  int64_t checkpoint_every = 0;    // 0 = only at the end
  int64_t checkpoint_keep = 2;
  int64_t samples_per_step = 2;
  ToolSettings tools;              // tools.*: tool calls inside rollouts (issue 7)

  // Reads every key (Config::check_all_used then rejects unknown ones).
  static TrainConfig from(const Config& config);
  int64_t total_steps() const { return sft.steps + rl.steps; }
};

}  // namespace retort::rl
