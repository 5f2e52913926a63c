// Trainer: the loop of DESIGN.md. SFT steps on cold-start traces, then RL steps (prompts -> G rollouts
// -> verify -> advantages -> K epochs of micro-batch updates), metrics every step, atomic checkpoints,
// evaluation at stage ends, and exact resume from the run directory.
#pragma once
#include <functional>
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
#include "rl/hard_sample_mining.h"
#include "rl/hint_scaffold.h"
#include "rl/likelihood_scoring.h"
#include "rl/losses.h"
#include "rl/optimizer.h"
#include "rl/prompting.h"
#include "rl/reward_transforms.h"
#include "rl/rollout_batch.h"
#include "rl/train_config.h"

namespace retort::rl {

// Reads a task JSONL file; errors name file:line. Empty lines are skipped; nothing else is. Every
// line must be a JSON object (nested at most kMaxJsonDepth levels) naming a task of task_routes(),
// with a SMILES that parses when it has one ("train.jsonl line 3: smiles: SMILES 'C1CC' does not
// parse: ..."). The Trainer reads its files the same way but accepts any task when a reward function
// replaces the verifiers (an unknown task is an error when run() starts without one).
std::vector<Example> load_examples(const std::string& path);

// The default tiny policy's architecture for TOKENIZER (vocab, <|image|> id), with OVERRIDES applied.
model::Qwen2Config tiny_policy_config(const model::Tokenizer& tokenizer, const nlohmann::json& overrides, bool vision);

// A reward function in place of the verifier registry (like TRL's reward_funcs): Example + completion
// text -> Score (total, correct, components). The trainer and evaluate_policy use it when given.
using RewardFunction = std::function<Score(const Example&, const std::string& completion)>;
// An SFT target in place of the cold-start traces: Example + the "traces" RNG stream -> completion text.
using SftTargetFunction = std::function<std::string(const Example&, std::mt19937_64&)>;

// Evaluation of a policy on examples with greedy decoding: per-task metrics (accuracy, format,
// roc_auc, rmse, within_tolerance, claims_per_answer, claim_precision) averaged over examples.
struct EvalResult {
  std::map<std::string, double> metrics;
  std::vector<nlohmann::json> samples;  // {id, completion, reward, correct}
};
EvalResult evaluate_policy(const model::Policy& policy, const PromptBuilder& prompts, const LineScorer& scorer,
                           const std::vector<Example>& examples, int64_t max_new_tokens, int64_t batch_size,
                           const std::string& label = "eval");
EvalResult evaluate_policy(const model::Policy& policy, const PromptBuilder& prompts, const RewardFunction& reward,
                           const std::vector<Example>& examples, int64_t max_new_tokens, int64_t batch_size,
                           const std::string& label = "eval");

class Trainer {
 public:
  explicit Trainer(TrainConfig config, nlohmann::json resolved_config);
  ~Trainer();
  // Runs (or continues) the whole schedule; returns the stage evaluations {"base"|"sft"|"rl": metrics}.
  nlohmann::json run();

  // Replace the verifiers / the cold-start traces (call before run()).
  void set_reward_function(RewardFunction reward) { reward_function_ = std::move(reward); }
  void set_sft_target_function(SftTargetFunction target) { sft_target_function_ = std::move(target); }

  // Inspection (tests): the data-side state after run().
  const HardSampleMiner* hard_sample_miner() const { return miner_.get(); }
  const HintScaffold* hint_scaffold() const { return hints_.get(); }
  bool has_reference_policy() const { return reference_ != nullptr; }
  const model::Policy& policy() const { return *policy_; }

 private:
  // One prompt's rollouts as the RL step handles them.
  struct RolloutGroup {
    Example example;              // as prompted (a hinted rollout carries its own prompt ids)
    std::vector<Rollout> rollouts;
    std::vector<Score> scores;    // the verifiers' (or reward function's) scores
    std::vector<double> rewards;  // the reward that trains: score + transforms (noisy, SAR, likelihood, overlong)
    int64_t hint_tier = -1;       // Scaf-GRPO: the tier whose hinted rollout replaced a failed one
    // Likelihood rewards with answer_gradient: per rollout, prompt + reasoning + <answer> -> a*, and the
    // coefficient of its supervised term (answer_gradient_coefficient); empty otherwise.
    std::vector<ContinuationRequest> answer_rows;
    std::vector<double> answer_row_weights;
  };

  void load_or_create_policy();
  bool try_resume();
  void save_checkpoint();
  void start_stage_optimizer();
  void shuffle_order();  // order_ for data_epoch_
  std::vector<Example> next_batch(int64_t count);
  std::map<std::string, double> sft_step();
  std::map<std::string, double> rl_step();
  // RL-step pieces (rl_step.cpp).
  std::vector<Example> draw_rl_examples(int64_t count);
  std::vector<RolloutGroup> roll_out_groups(const std::vector<Example>& examples, const std::vector<int64_t>& sizes);
  void score_groups(std::vector<RolloutGroup>& groups);
  void add_likelihood_rewards(std::vector<RolloutGroup>& groups);
  void add_self_aligned_rewards(std::vector<RolloutGroup>& groups);
  std::vector<RolloutGroup> generate_groups(int64_t count, std::map<std::string, double>& m);
  void apply_hints(std::vector<RolloutGroup>& groups, std::map<std::string, double>& m);
  std::vector<bool> groups_to_train(const std::vector<RolloutGroup>& groups);
  std::map<std::string, double> update_policy(const std::vector<RolloutGroup>& groups);
  // Backward of the likelihood rewards' direct term over GROUPS[first, last) (answer_gradient.cpp);
  // returns its loss value.
  double backward_answer_gradient(const std::vector<RolloutGroup>& groups, int64_t first, int64_t last,
                                  const PolicyLossOptions& loss_options, std::map<std::string, double>& m);
  Score score_completion(const Example& example, const std::string& completion) const;
  int64_t rl_step_index() const { return step_ - config_.sft.steps; }  // 0-based RL step now running
  void evaluate_stage(const std::string& stage);

  TrainConfig config_;
  nlohmann::json resolved_config_;
  std::string unknown_task_error_;  // "FILE line N: task: unknown task ..." of the task files, or ""
  std::unique_ptr<model::Tokenizer> tokenizer_;
  std::unique_ptr<model::Policy> policy_;
  std::unique_ptr<model::Policy> reference_;  // only when rl.kl_coef > 0: the policy as RL started
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
  RewardFunction reward_function_;
  SftTargetFunction sft_target_function_;
  std::unique_ptr<HardSampleMiner> miner_;     // rl.hard_sample_mining
  std::vector<std::string> train_ids_;         // candidates for the miner
  std::map<std::string, size_t> train_index_;  // id -> index in train_
  std::unique_ptr<HintScaffold> hints_;        // rl.hints
  std::unique_ptr<RlprStdFilter> rlpr_filter_; // rl.likelihood_reward.std_filter
  double rollout_seconds_ = 0, reward_seconds_ = 0;  // this RL step's sampling and scoring time
};

}  // namespace retort::rl
