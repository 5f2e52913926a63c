// One RL step: P prompts x G rollouts -> verifier rewards -> advantages -> K epochs of micro-batch
// updates with the configured policy loss (each epoch one optimiser step) -> TRL/verl-named metrics.
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <chrono>
#include <cmath>
#include <fstream>

#include "rl/advantages.h"
#include "rl/losses.h"
#include "rl/reward_transforms.h"
#include "rl/rollout_batch.h"
#include "rl/token_logprobs.h"
#include "rl/trainer.h"

namespace retort::rl {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

std::map<std::string, double> Trainer::rl_step() {
  const auto& rl = config_.rl;
  std::map<std::string, double> m;
  auto t0 = Clock::now();

  // Rollouts: each prompt repeated G times, consecutive (group ids 0,0,..,1,1,..).
  auto examples = next_batch(rl.prompts_per_step);
  std::vector<PromptInputs> inputs;
  std::vector<const Example*> row_example;
  for (const auto& e : examples) {
    PromptInputs p = prompts_->build(e);
    for (int64_t g = 0; g < rl.group_size; ++g) {
      inputs.push_back(p);
      row_example.push_back(&e);
    }
  }
  rollout::SamplingParams sampling{rl.temperature, rl.top_k, rl.top_p, rl.min_p};
  auto rollouts = sample_rollouts(*policy_, *prompts_, inputs, sampling, rl.max_new_tokens, rng_.stream("sampler")());
  m["timing_s/rollout"] = seconds_since(t0);

  // Rewards from the verifiers (+ DAPO overlong shaping).
  auto t1 = Clock::now();
  const int64_t B = static_cast<int64_t>(rollouts.size());
  std::vector<double> rewards(B);
  std::vector<int64_t> group_ids(B);
  std::map<std::string, std::pair<double, int>> components;
  double correct = 0, clipped = 0, length = 0;
  std::vector<Score> scores(B);
  for (int64_t i = 0; i < B; ++i) {
    scores[i] = scorer_->score(*row_example[i], rollouts[i].completion);
    rewards[i] = scores[i].total;
    rewards[i] += tool_error_penalty(config_.tools, rollouts[i].tool_calls);  // tools.error_cost per failed call (issue 7)
    if (rl.overlong_buffer > 0)
      rewards[i] += overlong_penalty(static_cast<int64_t>(rollouts[i].tokens.size()), rl.max_new_tokens, rl.overlong_buffer);
    group_ids[i] = i / rl.group_size;
    for (const auto& [name, v] : scores[i].components) components[name].first += v, components[name].second += 1;
    correct += scores[i].correct;
    clipped += rollouts[i].clipped;
    length += rollouts[i].tokens.size();
  }
  m["timing_s/reward"] = seconds_since(t1);
  double mean = 0, var = 0;
  for (double r : rewards) mean += r / B;
  for (double r : rewards) var += (r - mean) * (r - mean) / std::max<int64_t>(B - 1, 1);
  m["reward/mean"] = mean;
  m["reward/std"] = std::sqrt(var);
  for (const auto& [name, sum_count] : components)
    m["rewards/" + name + "/mean"] = sum_count.first / sum_count.second;
  m["accuracy"] = correct / B;
  m["frac_reward_zero_std"] = fraction_zero_std_groups(rewards, group_ids);
  m["completions/mean_length"] = length / B;
  m["completions/clipped_ratio"] = clipped / B;
  if (config_.tools.enabled) {  // tools/calls_per_episode, tools/error_rate, tools/<name>/calls (issue 7)
    std::vector<std::vector<ToolCallRecord>> calls;
    for (const auto& r : rollouts) calls.push_back(r.tool_calls);
    for (const auto& [name, value] : tool_metrics(calls)) m[name] = value;
  }

  // Rows that train: all, or (DAPO dynamic sampling) those of groups with reward spread. Dropped
  // groups are not refilled here: the step trains on fewer groups (logged as rl/groups_kept).
  std::vector<int64_t> rows;
  auto keep = rl.dynamic_sampling ? groups_with_reward_variance(rewards, group_ids) : std::vector<bool>(B, true);
  for (int64_t i = 0; i < B; ++i)
    if (keep[i]) rows.push_back(i);
  m["rl/groups_kept"] = static_cast<double>(rows.size()) / rl.group_size;

  // Samples for people to read.
  {
    std::ofstream samples(config_.run_dir + "/samples.jsonl", std::ios::app);
    for (int64_t i = 0; i < std::min<int64_t>(config_.samples_per_step, B); ++i) {
      nlohmann::json s = {{"step", step_ + 1}, {"id", row_example[i]->id}, {"task", row_example[i]->task},
                          {"completion", rollouts[i].completion}, {"reward", rewards[i]},
                          {"correct", scores[i].correct}, {"components", scores[i].components},
                          {"reasons", scores[i].reasons}};
      if (config_.tools.enabled) s["transcript"] = rollouts[i].transcript;  // tool turns included
      samples << s.dump() << "\n";
    }
  }
  if (rows.empty()) {  // nothing carries signal: no update this step
    m["grad_norm"] = 0;
    m["lr"] = learning_rate_at(optimizer_->options(), optimizer_->steps_taken());
    return m;
  }

  // Training rows: prompt + completion, loss mask on sampled tokens.
  const int64_t N = static_cast<int64_t>(rows.size());
  std::vector<std::vector<int64_t>> ids(N);
  std::vector<std::vector<float>> masks(N), old(N);
  std::vector<std::vector<chem::Image>> images(N);
  std::vector<double> row_rewards(N);
  std::vector<int64_t> row_groups(N);
  for (int64_t n = 0; n < N; ++n) {
    const Rollout& r = rollouts[rows[n]];
    ids[n] = r.prompt_ids;
    ids[n].insert(ids[n].end(), r.tokens.begin(), r.tokens.end());
    masks[n].assign(r.prompt_ids.size(), 0.0f);
    masks[n].insert(masks[n].end(), r.token_mask.begin(), r.token_mask.end());  // tool responses stay 0
    old[n].assign(r.prompt_ids.size(), 0.0f);
    old[n].insert(old[n].end(), r.logprobs.begin(), r.logprobs.end());
    images[n] = r.images;
    row_rewards[n] = rewards[rows[n]];
    row_groups[n] = group_ids[rows[n]];
  }
  at::Device device = policy_->device();
  SequenceBatch full = pack_sequences(ids, masks, {}, prompts_->pad_id(), device);
  const int64_t T = full.input_ids.size(1);
  at::Tensor old_logp = at::zeros({N, T}, at::kFloat);
  for (int64_t n = 0; n < N; ++n)
    old_logp[n].narrow(0, 0, static_cast<int64_t>(old[n].size())).copy_(at::tensor(old[n]));
  old_logp = old_logp.to(device);
  at::Tensor reward_tensor = at::tensor(row_rewards, at::kDouble).to(at::kFloat).to(device);
  at::Tensor group_tensor = at::tensor(row_groups, at::kLong).to(device);

  AdvantageInputs adv_in;
  adv_in.rewards = reward_tensor;
  adv_in.group_ids = group_tensor;
  adv_in.response_mask = full.loss_mask;
  adv_in.token_ids = full.input_ids;
  adv_in.valid_mask = full.attention_mask.to(at::kFloat);
  AdvantageOptions adv_opt;
  if (!rl.scaling.empty()) adv_opt.scaling = parse_reward_scaling(rl.scaling);
  at::Tensor advantages = compute_advantages(rl.advantage, adv_in, adv_opt);  // (N, T)

  // Micro-batches: each packs its own rows (its own padding); advantages etc. are sliced to match.
  auto micro = [&](int64_t a, int64_t b) {
    std::vector<std::vector<int64_t>> sub_ids(ids.begin() + a, ids.begin() + b);
    std::vector<std::vector<float>> sub_masks(masks.begin() + a, masks.begin() + b);
    std::vector<std::vector<chem::Image>> sub_images(images.begin() + a, images.begin() + b);
    return pack_sequences(sub_ids, sub_masks, sub_images, prompts_->pad_id(), device);
  };
  auto t2 = Clock::now();
  std::vector<at::Tensor> ref_logp;  // per micro-batch, only with a KL term
  if (rl.kl_coef > 0) {
    if (!reference_) reference_ = std::make_unique<model::Policy>(policy_->clone());
    at::NoGradGuard no_grad;
    for (int64_t a = 0; a < N; a += rl.micro_batch_size)
      ref_logp.push_back(token_logprobs(*reference_, micro(a, std::min(N, a + rl.micro_batch_size)), false).logp);
  }
  if (rl.old_logprobs == "recompute") {
    at::NoGradGuard no_grad;
    for (int64_t a = 0; a < N; a += rl.micro_batch_size) {
      int64_t b = std::min(N, a + rl.micro_batch_size);
      at::Tensor lp = token_logprobs(*policy_, micro(a, b), false).logp;
      old_logp.narrow(0, a, b - a).narrow(1, 0, lp.size(1)).copy_(lp);
    }
  }
  m["timing_s/ref"] = seconds_since(t2);

  auto t3 = Clock::now();
  PolicyLossOptions loss_opt;
  if (!rl.aggregation.empty()) loss_opt.aggregation = parse_aggregation(rl.aggregation);
  loss_opt.max_length = rl.max_new_tokens;
  loss_opt.normalizers.tokens = full.loss_mask.sum().item<double>();
  loss_opt.normalizers.sequences = static_cast<double>(N);
  loss_opt.kl_coef = rl.kl_coef;
  loss_opt.kl_estimator = parse_kl_estimator(rl.kl_estimator);
  loss_opt.entropy_coef = rl.entropy_coef;
  std::map<std::string, double> loss_metrics;
  double grad_norm = 0, lr = 0, loss_total = 0;
  int64_t micro_batches = 0;
  for (int64_t epoch = 0; epoch < rl.epochs; ++epoch) {
    double epoch_loss = 0;
    for (int64_t a = 0, k = 0; a < N; a += rl.micro_batch_size, ++k) {
      int64_t b = std::min(N, a + rl.micro_batch_size);
      SequenceBatch mb = micro(a, b);
      const int64_t Tm = mb.input_ids.size(1);
      TokenLogprobs lp = token_logprobs(*policy_, mb, /*with_entropy=*/true);
      PolicyLossInputs in;
      in.logp = lp.logp;
      in.old_logp = old_logp.narrow(0, a, b - a).narrow(1, 0, Tm);
      in.advantages = advantages.narrow(0, a, b - a).narrow(1, 0, Tm);
      in.mask = mb.loss_mask;
      in.entropy = rl.entropy_coef > 0 ? lp.entropy : lp.entropy.detach();  // the bonus needs its gradient
      in.rewards = reward_tensor.narrow(0, a, b - a);
      in.group_ids = group_tensor.narrow(0, a, b - a);
      if (!ref_logp.empty()) in.ref_logp = ref_logp[k];
      PolicyLossOutput out = compute_policy_loss(rl.loss, in, loss_opt);
      out.loss.backward();
      epoch_loss += out.loss.item<double>();
      for (const auto& [name, v] : out.metrics) loss_metrics[name] += v;
      ++micro_batches;
    }
    OptimizerStepReport report = optimizer_->step(epoch_loss);
    grad_norm += report.grad_norm / rl.epochs;
    lr = report.lr;
    loss_total += epoch_loss / rl.epochs;
  }
  for (const auto& [name, v] : loss_metrics) m[name] = v / micro_batches;  // mean over micro-batches
  m["loss"] = loss_total;
  m["grad_norm"] = grad_norm;
  m["lr"] = lr;
  m["timing_s/update"] = seconds_since(t3);
  double total_tokens = full.attention_mask.sum().item<double>();
  m["perf/tokens_per_s"] = total_tokens * rl.epochs / std::max(1e-9, seconds_since(t0));
  return m;
}

}  // namespace retort::rl
