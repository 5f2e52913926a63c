// Trainer: the loop of DESIGN.md. SFT steps on cold-start traces, then RL steps (prompts -> G rollouts
// -> verify -> advantages -> K epochs of micro-batch updates), metrics every step, atomic checkpoints,
// evaluation at stage ends, and exact resume from the run directory.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/example.h"
#include "core/line_scorer.h"
#include "core/metrics_writer.h"
#include "core/rng.h"
#include "model/policy.h"
#include "model/tokenizer.h"
#include "rl/optimizer.h"
#include "rl/prompting.h"
#include "rl/train_config.h"

namespace retort::rl {

// Reads a task JSONL file; errors name file:line. Empty lines are skipped; nothing else is.
std::vector<Example> load_examples(const std::string& path);

// The default tiny policy's architecture for TOKENIZER (vocab, <|image|> id), with OVERRIDES applied.
model::Qwen2Config tiny_policy_config(const model::Tokenizer& tokenizer, const nlohmann::json& overrides, bool vision);

// Evaluation of a policy on examples with greedy decoding: per-task metrics (accuracy, format,
// roc_auc, rmse, within_tolerance, claims_per_answer, claim_precision) averaged over examples.
struct EvalResult {
  std::map<std::string, double> metrics;
  std::vector<nlohmann::json> samples;  // {id, completion, reward, correct}
};
EvalResult evaluate_policy(const model::Policy& policy, const PromptBuilder& prompts, const LineScorer& scorer,
                           const std::vector<Example>& examples, int64_t max_new_tokens, int64_t batch_size,
                           const std::string& label = "eval");

class Trainer {
 public:
  explicit Trainer(TrainConfig config, nlohmann::json resolved_config);
  ~Trainer();
  // Runs (or continues) the whole schedule; returns the stage evaluations {"base"|"sft"|"rl": metrics}.
  nlohmann::json run();

 private:
  void load_or_create_policy();
  bool try_resume();
  void save_checkpoint();
  void start_stage_optimizer();
  void shuffle_order();  // order_ for data_epoch_
  std::vector<Example> next_batch(int64_t count);
  std::map<std::string, double> sft_step();
  std::map<std::string, double> rl_step();
  void evaluate_stage(const std::string& stage);

  TrainConfig config_;
  nlohmann::json resolved_config_;
  std::unique_ptr<model::Tokenizer> tokenizer_;
  std::unique_ptr<model::Policy> policy_;
  std::unique_ptr<model::Policy> reference_;  // only when rl.kl_coef > 0
  std::unique_ptr<PromptBuilder> prompts_;
  std::unique_ptr<LineScorer> scorer_;
  std::unique_ptr<PolicyOptimizer> optimizer_;
  std::string optimizer_stage_;       // "sft" or "rl": the stage optimizer_ was made for
  std::unique_ptr<MetricsWriter> metrics_;
  std::vector<Example> train_, eval_;
  RngStreams rng_;
  int64_t step_ = 0;                  // optimiser steps done (SFT then RL)
  int64_t data_epoch_ = 0, data_position_ = 0;
  std::vector<size_t> order_;         // permutation of train_ for data_epoch_
  nlohmann::json stage_results_ = nlohmann::json::object();
  std::string tokenizer_path_;
};

}  // namespace retort::rl
