// Trainer: schedule, data order, stage evaluations, checkpoints and exact resume. The per-step work
// lives in sft_step.cpp and rl_step.cpp, evaluation in evaluation.cpp.
#include "rl/trainer.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "chem/molecule.h"
#include "chem/verifiers/verifiers.h"
#include "core/errors.h"
#include "core/json_depth.h"
#include "core/log.h"
#include "core/plot.h"
#include "core/progress.h"
#include "core/reward_spec.h"
#include "med/verifiers.h"
#include "model/checkpoint.h"
#include "model/tiny_config.h"
#include "rl/checkpoint.h"
#include "rl/data_order.h"
#include "rl/trainer_state.h"
#include "dist/dist_context.h"
#include "dist/rank_metrics.h"

namespace retort::rl {
namespace fs = std::filesystem;

namespace {

// "unknown task 'x' (known: ...)" for a task no verifier route scores, else "".
std::string unknown_task_problem(const std::string& task) {
  const auto& routes = task_routes();
  if (routes.count(task)) return "";
  std::string known;
  for (const auto& [name, route] : routes) known += (known.empty() ? "" : ", ") + name;
  return "task: unknown task '" + task + "' (known: " + known + "; `retort score --help` says what each checks)";
}

// The examples of the task file PATH in file order, every line checked: JSON (nesting bounded), the
// fields, the SMILES (RDKit's reason when it does not parse) and, when CHECK_TASKS, the task name.
// Without CHECK_TASKS the first unknown task's "FILE line N: ..." message goes to *UNKNOWN_TASK.
std::vector<Example> read_examples(const std::string& path, bool check_tasks, std::string* unknown_task) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open task file (build it with `retort data build`)");
  std::vector<Example> out;
  std::string line;
  std::string name = fs::path(path).filename().string();
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string where = name + " line " + std::to_string(number);
    if (json_nested_deeper_than(line))
      throw DataError(where + ": not valid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw DataError(where + ": not valid JSON");
    Example example = example_from_json(j, where);
    if (std::string problem = unknown_task_problem(example.task); !problem.empty()) {
      if (check_tasks) throw DataError(where + ": " + problem);
      if (unknown_task && unknown_task->empty()) *unknown_task = where + ": " + problem;
    }
    if (example.smiles) {
      std::string error;
      if (!chem::Molecule::try_from_smiles(*example.smiles, &error)) throw DataError(where + ": smiles: " + error);
    }
    out.push_back(std::move(example));
  }
  if (out.empty()) throw DataError(path + ": no examples");
  return out;
}

}  // namespace

std::vector<Example> load_examples(const std::string& path) { return read_examples(path, true, nullptr); }

model::Qwen2Config tiny_policy_config(const model::Tokenizer& tokenizer, const nlohmann::json& overrides, bool vision) {
  model::Qwen2Config config = model::tiny_config(tokenizer, vision);
  if (overrides.empty()) return config;
  nlohmann::json j = config.to_json();
  for (auto it = overrides.begin(); it != overrides.end(); ++it) j[it.key()] = it.value();
  return model::Qwen2Config::from_json(j, "model.tiny");
}

namespace {

// Keeps the lines of a JSONL file whose "step" is <= STEP (a resumed run rewrites what came after).
void truncate_jsonl_after_step(const std::string& path, int64_t step) {
  std::ifstream in(path);
  if (!in) return;
  std::string kept, line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("step") || j["step"].get<int64_t>() > step) continue;
    kept += line + "\n";
  }
  in.close();
  std::string tmp = path + ".tmp";
  std::ofstream(tmp) << kept;
  fs::rename(tmp, path);
}

at::Device parse_device(const std::string& name) {
  if (name == "cuda" && !at::hasCUDA()) throw ConfigError("model.device: cuda requested but no CUDA device is available");
  return name == "cuda" ? at::Device(at::kCUDA) : at::Device(at::kCPU);
}

}  // namespace

Trainer::Trainer(TrainConfig config, nlohmann::json resolved_config)
    : config_(std::move(config)), resolved_config_(std::move(resolved_config)), rng_(config_.seed) {
  if (config_.threads > 0) at::set_num_threads(config_.threads);
  if (config_.rl.loss == "real" && config_.rl.micro_batch_size % config_.rl.group_size != 0)
    throw ConfigError("rl.micro_batch_size: the `real` loss needs whole groups per micro-batch (a multiple of rl.group_size)");
  // Tasks are checked in run(): a reward function (set_reward_function) may score any task.
  train_ = read_examples(config_.data.train, /*check_tasks=*/false, &unknown_task_error_);
  if (!config_.data.eval.empty()) {
    eval_ = read_examples(config_.data.eval, /*check_tasks=*/false, &unknown_task_error_);
    if (config_.data.eval_limit > 0 && static_cast<int64_t>(eval_.size()) > config_.data.eval_limit)
      eval_.resize(config_.data.eval_limit);
  }
  auto& registry = VerifierRegistry::instance();
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  RewardSpec spec = config_.reward.empty() ? RewardSpec::defaults() : RewardSpec::from_json(config_.reward, "reward");
  scorer_ = std::make_unique<LineScorer>(registry, spec);
  const auto& rl = config_.rl;
  if (rl.hard_sample_mining.enabled) {
    miner_ = std::make_unique<HardSampleMiner>(rl.hard_sample_mining.options);
    for (size_t i = 0; i < train_.size(); ++i) {
      if (!train_index_.emplace(train_[i].id, i).second)
        throw DataError(config_.data.train + ": example id '" + train_[i].id +
                        "' appears twice; rl.hard_sample_mining needs unique ids");
      train_ids_.push_back(train_[i].id);
    }
  }
  if (rl.hints.enabled) {
    HintScaffoldOptions options;
    options.patience = rl.hints.patience;
    options.warmup_fraction = rl.hints.warmup_fraction;
    options.total_steps = rl.steps;
    options.zero_reward = 0.0;  // visits are recorded as correct (1) / not (0)
    hints_ = std::make_unique<HintScaffold>(options);
  }
  if (rl.likelihood_reward.std_filter) rlpr_filter_ = std::make_unique<RlprStdFilter>();
}

Score Trainer::score_completion(const Example& example, const std::string& completion) const {
  return reward_function_ ? reward_function_(example, completion) : scorer_->score(example, completion);
}

Trainer::~Trainer() = default;

void Trainer::load_or_create_policy() {
  at::Device device = parse_device(config_.model.device);
  at::ScalarType dtype = config_.model.dtype == "bfloat16" ? at::kBFloat16 : at::kFloat;
  if (config_.model.init == "tiny") {
    tokenizer_path_ = model::Tokenizer::tiny_default_path();
    tokenizer_ = std::make_unique<model::Tokenizer>(model::Tokenizer::from_file(tokenizer_path_));
    auto arch = tiny_policy_config(*tokenizer_, config_.model.tiny, config_.model.vision);
    policy_ = std::make_unique<model::Policy>(model::Policy::create(arch, config_.seed));
    policy_->to(device, dtype);
  } else {
    tokenizer_path_ = config_.model.init + "/tokenizer.json";
    tokenizer_ = std::make_unique<model::Tokenizer>(model::Tokenizer::from_file(tokenizer_path_));
    policy_ = std::make_unique<model::Policy>(model::load_policy(config_.model.init, device, dtype));
  }
}

void Trainer::start_stage_optimizer() {
  bool sft = step_ < config_.sft.steps;
  OptimizerOptions options = sft ? config_.sft.optimizer : config_.rl.optimizer;
  if (!sft) options.total_steps = config_.rl.steps * config_.rl.epochs;  // one optimiser step per epoch
  policy_->set_requires_grad(true);
  optimizer_ = std::make_unique<PolicyOptimizer>(policy_->parameters(), options);
  if (dist::world().distributed())  // data parallel: gradients summed over ranks before each step (docs/distributed.md)
    optimizer_->set_gradient_reduce([](std::vector<at::Tensor>& g) { dist::world().all_reduce(g, dist::ReduceOp::sum); });
  optimizer_stage_ = sft ? "sft" : "rl";
}

void Trainer::shuffle_order() {
  order_ = epoch_order(train_, config_.seed, data_epoch_, config_.data.balance_labels);  // (seed, epoch) only
}

std::vector<Example> Trainer::next_batch(int64_t count) {
  std::vector<Example> batch;
  while (static_cast<int64_t>(batch.size()) < count) {
    if (data_position_ >= static_cast<int64_t>(order_.size())) {
      ++data_epoch_;
      data_position_ = 0;
      shuffle_order();
    }
    batch.push_back(train_[order_[data_position_++]]);
  }
  return batch;
}

bool Trainer::try_resume() {
  CheckpointManager manager(config_.run_dir + "/checkpoints", config_.checkpoint_keep);
  auto latest = manager.latest();
  if (!latest) return false;
  at::Device device = parse_device(config_.model.device);
  at::ScalarType dtype = config_.model.dtype == "bfloat16" ? at::kBFloat16 : at::kFloat;
  // Later checkpoints copy the tokenizer from tokenizer_path_, and pruning may delete LATEST: keep a
  // copy of its tokenizer files in the run directory (replaced atomically).
  fs::path tokenizer_dir = fs::path(config_.run_dir) / "tokenizer";
  fs::create_directories(tokenizer_dir);
  for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
    if (!fs::exists(*latest / name)) continue;
    fs::path tmp = tokenizer_dir / (std::string(name) + ".tmp");
    fs::copy_file(*latest / name, tmp, fs::copy_options::overwrite_existing);
    fs::rename(tmp, tokenizer_dir / name);
  }
  tokenizer_path_ = (tokenizer_dir / "tokenizer.json").string();
  tokenizer_ = std::make_unique<model::Tokenizer>(model::Tokenizer::from_file(tokenizer_path_));
  policy_ = std::make_unique<model::Policy>(model::load_policy(latest->string(), device, dtype));
  TrainerState state = read_trainer_state(*latest);
  step_ = state.step;
  data_epoch_ = state.data_cursor.value("epoch", int64_t{0});
  data_position_ = state.data_cursor.value("position", int64_t{0});
  shuffle_order();
  rng_.load(state.rng);
  set_torch_cpu_rng_state(state.torch_rng_bytes);
  stage_results_ = state.extra.value("stage_results", nlohmann::json::object());
  if (miner_ && !state.hard_samples.empty()) *miner_ = HardSampleMiner::from_json(state.hard_samples);
  if (hints_ && state.extra.contains("hint_scaffold")) *hints_ = HintScaffold::from_json(state.extra["hint_scaffold"]);
  if (rlpr_filter_ && state.extra.contains("rlpr_std_filter")) rlpr_filter_->load_json(state.extra["rlpr_std_filter"]);
  if (config_.rl.kl_coef > 0 && fs::exists(*latest / "reference")) {  // the policy as RL started
    reference_ = std::make_unique<model::Policy>(model::load_policy((*latest / "reference").string(), device, dtype));
    reference_->set_requires_grad(false);
  }
  start_stage_optimizer();
  // At the SFT/RL boundary the saved optimiser is SFT's: the RL stage keeps its fresh one.
  if (state.extra.value("optimizer_stage", std::string()) == optimizer_stage_ && !state.optimizer_bytes.empty()) {
    optimizer_->load_state_bytes(state.optimizer_bytes);
    optimizer_->load_counters_json(state.extra.value("optimizer_counters", nlohmann::json::object()));
  }
  if (dist::world().is_main()) {  // rank 0 owns the run directory's files
    truncate_jsonl_after_step(config_.run_dir + "/metrics.jsonl", step_);
    truncate_jsonl_after_step(config_.run_dir + "/samples.jsonl", step_);
  }
  log::info("resumed " + config_.run_dir + " from " + latest->filename().string());
  return true;
}

void Trainer::save_checkpoint() {
  if (!dist::world().is_main()) return;  // rank 0 writes checkpoints; every rank resumes from them
  CheckpointManager manager(config_.run_dir + "/checkpoints", config_.checkpoint_keep);
  manager.save(step_, [&](const fs::path& staging) {
    // save_policy writes a directory of its own; its files then move into the staging directory.
    fs::path hf = staging / "hf";
    model::SaveOptions options;
    options.tokenizer_json = tokenizer_path_;
    model::save_policy(*policy_, hf.string(), options);
    for (const auto& entry : fs::directory_iterator(hf)) fs::rename(entry.path(), staging / entry.path().filename());
    fs::remove(hf);
    if (reference_) model::save_policy(*reference_, (staging / "reference").string(), options);
    TrainerState state;
    state.step = step_;
    state.data_cursor = {{"epoch", data_epoch_}, {"position", data_position_}};
    state.rng = rng_.save();
    state.torch_rng_bytes = torch_cpu_rng_state();
    state.optimizer_bytes = optimizer_ ? optimizer_->state_bytes() : std::string();
    state.extra = {{"stage_results", stage_results_}, {"optimizer_stage", optimizer_stage_},
                   {"optimizer_counters", optimizer_ ? optimizer_->counters_json() : nlohmann::json::object()}};
    if (miner_) state.hard_samples = miner_->to_json();
    if (hints_) state.extra["hint_scaffold"] = hints_->to_json();
    if (rlpr_filter_) state.extra["rlpr_std_filter"] = rlpr_filter_->to_json();
    write_trainer_state(staging, state);
  });
}

void Trainer::evaluate_stage(const std::string& stage) {
  if (eval_.empty() || !config_.eval.at_stage_ends || stage_results_.contains(stage)) return;
  if (!dist::world().is_main()) return;  // rank 0 evaluates; the others wait at the next collective
  RewardFunction reward = [this](const Example& e, const std::string& c) { return score_completion(e, c); };
  EvalResult result = evaluate_policy(*policy_, *prompts_, reward, eval_, config_.eval.max_new_tokens,
                                      config_.eval.batch_size, "eval " + stage);
  stage_results_[stage] = result.metrics;
  std::ofstream samples(config_.run_dir + "/eval_" + stage + ".jsonl");
  for (const auto& s : result.samples) samples << s.dump() << "\n";
  std::string line = "eval " + stage + ":";
  for (const auto& [k, v] : result.metrics) line += " " + k + "=" + nlohmann::json(v).dump();
  log::info(line);
}

nlohmann::json Trainer::run() {
  if (!reward_function_ && !unknown_task_error_.empty()) throw DataError(unknown_task_error_);
  fs::create_directories(config_.run_dir);
  if (!try_resume()) {
    load_or_create_policy();
    shuffle_order();
    std::vector<at::Tensor> parameters = policy_->parameters();
    dist::world().broadcast(parameters, 0);  // every rank starts from rank 0's parameters (no-op in one process)
    if (dist::world().is_main()) {
      truncate_jsonl_after_step(config_.run_dir + "/metrics.jsonl", 0);
      truncate_jsonl_after_step(config_.run_dir + "/samples.jsonl", 0);
    }
  }
  if (dist::world().is_main()) std::ofstream(config_.run_dir + "/config.json") << resolved_config_.dump(2) << "\n";
  int64_t image_tokens = config_.data.images && policy_->has_vision() ? policy_->vision()->config().num_patches() : 0;
  prompts_ = std::make_unique<PromptBuilder>(*tokenizer_, config_.data.system_prompt, image_tokens);
  if (config_.tools.enabled) prompts_->set_tools(config_.tools);
  if (dist::world().is_main()) metrics_ = std::make_unique<MetricsWriter>(config_.run_dir);
  log::info("policy: " + std::to_string(policy_->parameter_count()) + " parameters; train " +
            std::to_string(train_.size()) + " examples, eval " + std::to_string(eval_.size()));

  if (step_ == 0) evaluate_stage("base");
  ProgressBar bar("train", config_.total_steps());
  bar.update(step_);
  while (step_ < config_.total_steps()) {
    std::string stage = step_ < config_.sft.steps ? "sft" : "rl";
    if (stage != optimizer_stage_) start_stage_optimizer();
    if (stage == "rl" && config_.rl.kl_coef > 0 && !reference_) {  // frozen: the policy as RL starts
      reference_ = std::make_unique<model::Policy>(policy_->clone());
      reference_->set_requires_grad(false);
    }
    auto metrics = stage == "sft" ? sft_step() : rl_step();
    ++step_;
    metrics = dist::gather_and_merge_metrics(dist::world(), metrics);  // the ranks' step metrics as one line
    if (metrics_) metrics_->write(step_, metrics);
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, "%s %s=%.3f", stage.c_str(), stage == "sft" ? "loss" : "reward",
                  stage == "sft" ? metrics["loss"] : metrics["reward/mean"]);
    bar.update(step_, suffix);
    bool stage_end = step_ == config_.sft.steps || step_ == config_.total_steps();
    if (step_ == config_.sft.steps && config_.sft.steps > 0) evaluate_stage("sft");
    if (step_ == config_.total_steps() && config_.rl.steps > 0) evaluate_stage("rl");
    if (stage_end || (config_.checkpoint_every > 0 && step_ % config_.checkpoint_every == 0)) save_checkpoint();
  }
  bar.finish();
  try {
    if (dist::world().is_main()) plot_run_metrics(config_.run_dir);
  } catch (const std::exception& e) {
    log::warn(std::string("plots: ") + e.what());
  }
  return stage_results_;
}

}  // namespace retort::rl
