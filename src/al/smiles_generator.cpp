// The conditional SMILES generator: tiny Qwen2 policy + tiny tokenizer; teacher-forced training,
// KV-cache sampling (rollout::Sampler) and GRPO updates through src/rl (smiles_generator.h).
#include "al/smiles_generator.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <numeric>
#include <optional>
#include <random>

#include "al/molecule_pool.h"
#include "core/errors.h"
#include "core/progress.h"
#include "model/checkpoint.h"
#include "model/policy.h"
#include "model/tiny_config.h"
#include "model/tokenizer.h"
#include "rl/advantages.h"
#include "rl/losses.h"
#include "rl/optimizer.h"
#include "rl/token_logprobs.h"
#include "rl/trainer_state.h"
#include "rollout/sampler.h"

namespace retort::al {

std::string generator_tokenizer_path(const std::string& tokenizer) {
  if (tokenizer == "tiny") return model::Tokenizer::tiny_default_path();
  if (tokenizer == "smiles") {
    // Plain string work (as model::Tokenizer::tiny_default_path): the asset next to this source file.
    std::string source = __FILE__;
    return source.substr(0, source.find_last_of('/') + 1) + "assets/smiles_tokenizer.json";
  }
  return tokenizer;
}

struct SmilesGenerator::State {
  State(model::Tokenizer t, model::Policy p, GeneratorSettings s, std::string path)
      : tokenizer(std::move(t)), policy(std::move(p)), settings(std::move(s)) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    tokenizer_json = text.str();
    bos = tokenizer.require_token_id("<|endoftext|>");
    eos = tokenizer.require_token_id("<|im_end|>");
    pad = tokenizer.token_to_id("<|pad|>").value_or(eos);
    if (settings.threads > 0) at::set_num_threads(settings.threads);
    policy.set_requires_grad(true);
  }
  model::Tokenizer tokenizer;
  model::Policy policy;
  GeneratorSettings settings;
  std::string tokenizer_json;  // the tokenizer.json text (saved next to every checkpoint)
  int64_t bos = 0, eos = 0, pad = 0;
  std::unique_ptr<rl::PolicyOptimizer> grpo_optimizer;
  // The GRPO optimiser state read by load() (trainer_state.json + optimizer.pt next to the weights),
  // applied when grpo_step first creates the optimiser.
  std::optional<rl::TrainerState> saved_grpo_state;

  std::vector<int64_t> prompt_ids(const std::string& condition) const {
    std::vector<int64_t> ids{bos};
    for (int32_t id : tokenizer.encode(condition)) ids.push_back(id);
    return ids;
  }
};

SmilesGenerator::SmilesGenerator(std::unique_ptr<State> state) : state_(std::move(state)) {}
SmilesGenerator::SmilesGenerator(SmilesGenerator&&) noexcept = default;
SmilesGenerator& SmilesGenerator::operator=(SmilesGenerator&&) noexcept = default;
SmilesGenerator::~SmilesGenerator() = default;

SmilesGenerator SmilesGenerator::create(const GeneratorSettings& settings) {
  std::string tokenizer_path = generator_tokenizer_path(settings.tokenizer);
  model::Tokenizer tokenizer = model::Tokenizer::from_file(tokenizer_path);
  model::Qwen2Config config = model::tiny_config(tokenizer, /*with_vision=*/false);
  if (!settings.tiny_overrides.empty()) {
    nlohmann::json j = config.to_json();
    for (auto it = settings.tiny_overrides.begin(); it != settings.tiny_overrides.end(); ++it) j[it.key()] = it.value();
    config = model::Qwen2Config::from_json(j, "generator.model");
    config.validate("generator.model");
  }
  model::Policy policy = model::Policy::create(config, settings.seed);
  return SmilesGenerator(std::make_unique<State>(std::move(tokenizer), std::move(policy), settings, tokenizer_path));
}

SmilesGenerator SmilesGenerator::load(const std::string& dir, const GeneratorSettings& settings) {
  model::Policy policy = model::load_policy(dir);
  policy.drop_vision();
  std::string tokenizer_path = dir + "/tokenizer.json";
  if (!std::filesystem::exists(tokenizer_path)) throw IoError(dir + ": no tokenizer.json next to the generator");
  model::Tokenizer tokenizer = model::Tokenizer::from_file(tokenizer_path);
  if (tokenizer.vocab_size() > policy.config().vocab_size)
    throw DataError(dir + ": tokenizer.json has " + std::to_string(tokenizer.vocab_size()) + " ids, the model " +
                    std::to_string(policy.config().vocab_size));
  auto state = std::make_unique<State>(std::move(tokenizer), std::move(policy), settings, tokenizer_path);
  if (std::filesystem::exists(dir + "/trainer_state.json")) state->saved_grpo_state = rl::read_trainer_state(dir);
  return SmilesGenerator(std::move(state));
}

void SmilesGenerator::save(const std::string& dir) const {
  model::save_policy(state_->policy, dir, model::SaveOptions{});
  write_file_atomic(dir + "/tokenizer.json", state_->tokenizer_json);
  if (state_->grpo_optimizer) {
    // AdamW moments and counters (src/rl/trainer_state.h's files), so a resumed GRPO run continues exactly.
    rl::TrainerState saved;
    saved.step = state_->grpo_optimizer->steps_taken();
    saved.extra = {{"grpo_optimizer_counters", state_->grpo_optimizer->counters_json()}};
    saved.optimizer_bytes = state_->grpo_optimizer->state_bytes();
    saved.torch_rng_bytes = rl::torch_cpu_rng_state();
    rl::write_trainer_state(dir, saved);
  }
}

int64_t SmilesGenerator::parameter_count() const { return state_->policy.parameter_count(); }

double SmilesGenerator::train(const std::vector<TrainingPair>& pairs, const TrainSettings& settings) {
  if (pairs.empty()) throw DataError("generator training: no (condition, SMILES) pairs");
  State& s = *state_;
  const std::size_t max_length = 32 + static_cast<std::size_t>(s.settings.max_new_tokens);
  std::vector<std::vector<int64_t>> rows;
  std::vector<std::vector<float>> masks;
  rows.reserve(pairs.size());
  for (const auto& pair : pairs) {
    std::vector<int64_t> row = s.prompt_ids(pair.condition);
    std::vector<float> mask(row.size(), 0.0f);
    for (int32_t id : s.tokenizer.encode(pair.smiles)) row.push_back(id);
    row.push_back(s.eos);
    if (row.size() > max_length) continue;  // longer than the generator may write: skip
    mask.resize(row.size(), 1.0f);
    rows.push_back(std::move(row));
    masks.push_back(std::move(mask));
  }
  if (rows.empty()) throw DataError("generator training: every SMILES is longer than generator.max_new_tokens");

  rl::OptimizerOptions options;
  options.lr = settings.lr;
  options.warmup_steps = settings.warmup_steps;
  options.total_steps = settings.steps;
  options.schedule = "cosine";
  options.min_lr_ratio = 0.1;
  options.weight_decay = 0.0;
  rl::PolicyOptimizer optimizer(s.policy.parameters(), options);

  std::mt19937_64 rng(settings.seed);
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  std::size_t cursor = 0;
  std::vector<double> recent;
  ProgressBar bar(settings.label, settings.steps);
  for (int step = 0; step < settings.steps; ++step) {
    std::vector<std::vector<int64_t>> batch_ids;
    std::vector<std::vector<float>> batch_masks;
    for (int b = 0; b < settings.batch_size; ++b) {
      if (cursor == order.size()) {
        std::shuffle(order.begin(), order.end(), rng);
        cursor = 0;
      }
      batch_ids.push_back(rows[order[cursor]]);
      batch_masks.push_back(masks[order[cursor]]);
      ++cursor;
    }
    rl::SequenceBatch batch = rl::pack_sequences(batch_ids, batch_masks, {}, s.pad, at::kCPU);
    rl::TokenLogprobs lp = rl::token_logprobs(s.policy, batch, /*with_entropy=*/false);  // logp (B, T)
    at::Tensor loss = -(lp.logp * batch.loss_mask).sum() / batch.loss_mask.sum().clamp_min(1.0);
    loss.backward();
    double value = loss.item<double>();
    optimizer.step(value);
    recent.push_back(value);
    if (recent.size() > 10) recent.erase(recent.begin());
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "loss %.3f", value);
    bar.update(step + 1, suffix);
  }
  bar.finish();
  if (recent.empty()) return 0.0;
  return std::accumulate(recent.begin(), recent.end(), 0.0) / static_cast<double>(recent.size());
}

std::vector<GeneratedSmiles> SmilesGenerator::sample(const std::vector<std::string>& conditions, double temperature,
                                                     uint64_t seed, int batch_size) const {
  const State& s = *state_;
  at::NoGradGuard no_grad;
  std::vector<GeneratedSmiles> out;
  batch_size = std::max(batch_size, 1);
  for (std::size_t begin = 0; begin < conditions.size(); begin += batch_size) {
    std::size_t end = std::min(conditions.size(), begin + static_cast<std::size_t>(batch_size));
    std::vector<std::vector<int64_t>> prompts;
    for (std::size_t i = begin; i < end; ++i) prompts.push_back(s.prompt_ids(conditions[i]));
    rollout::GenerationParams params;
    params.sampling.temperature = temperature;
    params.max_new_tokens = s.settings.max_new_tokens;
    params.stop_token_ids = {s.eos};
    params.seed = seed + begin;
    params.pad_token_id = s.pad;
    params.append_capacity = 0;
    auto sequences = rollout::generate(s.policy, prompts, params);
    for (std::size_t i = 0; i < sequences.size(); ++i) {
      GeneratedSmiles g;
      g.condition = conditions[begin + i];
      g.prompt_ids = prompts[i];
      g.completion_ids = sequences[i].tokens;
      g.finished = sequences[i].finish_reason == rollout::FinishReason::stop_token;
      g.temperature = temperature;
      std::vector<int32_t> text_ids;
      for (int64_t id : g.completion_ids)
        if (id != s.eos) text_ids.push_back(static_cast<int32_t>(id));
      g.smiles = s.tokenizer.decode(text_ids, /*skip_special_tokens=*/true);
      out.push_back(std::move(g));
    }
  }
  return out;
}

GrpoReport SmilesGenerator::grpo_step(const std::vector<GeneratedSmiles>& samples, const std::vector<double>& rewards,
                                      const GrpoSettings& settings) {
  if (samples.size() != rewards.size() || samples.empty())
    throw std::invalid_argument("grpo_step: samples and rewards must be non-empty and of equal length");
  State& s = *state_;
  if (!s.grpo_optimizer) {
    rl::OptimizerOptions options;
    options.lr = settings.lr;
    options.schedule = "constant";
    options.weight_decay = 0.0;
    s.grpo_optimizer = std::make_unique<rl::PolicyOptimizer>(s.policy.parameters(), options);
    if (s.saved_grpo_state) {
      s.grpo_optimizer->load_state_bytes(s.saved_grpo_state->optimizer_bytes);
      const nlohmann::json& extra = s.saved_grpo_state->extra;
      if (!extra.contains("grpo_optimizer_counters"))
        throw DataError("generator checkpoint: trainer_state.json has no grpo_optimizer_counters");
      s.grpo_optimizer->load_counters_json(extra.at("grpo_optimizer_counters"));
      s.saved_grpo_state.reset();
    }
  }
  std::vector<std::vector<int64_t>> rows;
  std::vector<std::vector<float>> masks;
  for (const auto& g : samples) {
    std::vector<int64_t> row = g.prompt_ids;
    std::vector<float> mask(row.size(), 0.0f);
    row.insert(row.end(), g.completion_ids.begin(), g.completion_ids.end());
    mask.resize(row.size(), 1.0f);
    rows.push_back(std::move(row));
    masks.push_back(std::move(mask));
  }
  const int64_t batch = static_cast<int64_t>(samples.size());
  rl::SequenceBatch packed = rl::pack_sequences(rows, masks, {}, s.pad, at::kCPU);
  rl::TokenLogprobs lp = rl::token_logprobs(s.policy, packed, /*with_entropy=*/false);  // (B, T)
  rl::AdvantageInputs inputs;
  inputs.rewards = at::tensor(std::vector<float>(rewards.begin(), rewards.end()), at::kFloat);  // (B,)
  inputs.group_ids = rl::contiguous_group_ids(batch, std::max(settings.group_size, 1));        // (B,)
  inputs.response_mask = packed.loss_mask;                                                     // (B, T)
  at::Tensor advantages = rl::compute_advantages(settings.advantage, inputs);                  // (B, T)
  rl::PolicyLossInputs loss_inputs;
  loss_inputs.logp = lp.logp;
  loss_inputs.old_logp = lp.logp.detach();  // one on-policy update per batch: ratio 1
  loss_inputs.advantages = advantages;
  loss_inputs.mask = packed.loss_mask;
  rl::PolicyLossOptions loss_options;
  loss_options.kl_coef = 0.0;
  rl::PolicyLossOutput out = rl::compute_policy_loss(settings.loss, loss_inputs, loss_options);
  out.loss.backward();
  GrpoReport report;
  report.loss = out.loss.item<double>();
  report.grad_norm = s.grpo_optimizer->step(report.loss).grad_norm;
  report.reward_mean = std::accumulate(rewards.begin(), rewards.end(), 0.0) / static_cast<double>(rewards.size());
  return report;
}

}  // namespace retort::al
