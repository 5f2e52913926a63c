// TrainConfig: the resolved, validated settings of a `retort train` run (SFT and/or RL), read from the
// run's JSON config through core/Config so every error names the file and the key.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "rl/hard_sample_mining.h"
#include "rl/optimizer.h"
#include "rl/tool_settings.h"

namespace retort::rl {

struct ModelSettings {
  std::string init = "tiny";       // "tiny" (seeded random init of the default tiny policy) or a HF checkpoint dir
  nlohmann::json tiny;             // overrides of the tiny architecture (hidden_size, num_hidden_layers, ...)
  bool vision = true;              // tiny only: add the image encoder
  std::string dtype = "float32";   // "float32" | "bfloat16"
  std::string device = "cpu";      // "cpu" | "cuda"
  std::string autocast = "auto";   // "auto": bf16 autocast on a CUDA device with bf16; "bf16" | "none"
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

// Fleming-R1 hard-sample mining (rl.hard_sample_mining): prompts are drawn by HardSampleMiner instead
// of the epoch order; stage 1 skips persistent failures, stage 2 oversamples them.
struct HardSampleMiningSettings {
  bool enabled = false;
  HardSampleOptions options;
  int64_t stage2_step = 0;         // RL step (1-based) at which stage 2 starts at the latest; 0 = only when rewards get sparse
};

// Scaf-GRPO hints (rl.hints): an example whose group stayed at zero reward gets tiered hints from
// example.meta[meta_key] (an array of strings, lowest tier first).
struct HintSettings {
  bool enabled = false;
  int64_t patience = 1;            // all-zero visits before hints are tried
  double warmup_fraction = 0.15;   // no hints in the first fraction of RL steps
  std::string meta_key = "hints";
};

// A likelihood reward component (rl.likelihood_reward) from the reference answer's log-probs after
// the policy's reasoning: "log_prob" | "verifree" | "rlpr" ("none" = off).
struct LikelihoodRewardSettings {
  std::string kind = "none";
  double weight = 1.0;             // reward += weight * R_likelihood
  bool per_token = true;           // log_prob: mean over the answer's tokens (false: sum)
  double format_bonus = 0.1;       // rlpr: added when the verifier's format component is > 0
  bool std_filter = false;         // rlpr: drop groups with std < 0.5 EMA(std)
  // log_prob / verifree: also train log pi(a* | q, z) directly (the reward's own gradient through a*,
  // ALGORITHMS.md); false keeps only the REINFORCE term on the reasoning.
  bool answer_gradient = true;
};

// Noisy-verifier correction (rl.noisy_verifier) given false-positive / false-negative rates.
struct NoisyVerifierSettings {
  std::string correction = "none";  // "none" | "backward" | "forward"
  double false_positive_rate = 0.0, false_negative_rate = 0.0;
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
  int64_t max_refill_rounds = 4;   // DAPO: extra rollout rounds to refill dropped groups (0 = no refill)
  int64_t overlong_buffer = 0;     // DAPO overlong shaping buffer (0 = off)
  int64_t max_new_tokens = 128;
  double temperature = 1.0, top_p = 1.0, min_p = 0.0;
  int64_t top_k = 0;
  OptimizerOptions optimizer;
  HardSampleMiningSettings hard_sample_mining;
  HintSettings hints;
  LikelihoodRewardSettings likelihood_reward;
  NoisyVerifierSettings noisy_verifier;
  double sar_weight = 0.0;         // SAR: reward += sar_weight * R_SA (0 = off; the paper's 0.2)
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
