// One RL step: P prompts (epoch order, or the hard-sample miner's draw) x G rollouts -> rewards
// (verifiers, then the optional noisy-verifier correction, SAR, likelihood reward and overlong shaping)
// -> Scaf-GRPO hints for groups that all failed -> DAPO dynamic sampling with refill -> advantages ->
// K epochs of micro-batch updates (each epoch one optimiser step) -> TRL/verl-named metrics.
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

#include "core/errors.h"
#include "core/log.h"
#include "rl/advantages.h"
#include "rl/autocast.h"
#include "rl/likelihood_scoring.h"
#include "rl/losses.h"
#include "rl/reward_transforms.h"
#include "rl/rollout_exchange.h"
#include "rl/rollout_batch.h"
#include "rl/token_logprobs.h"
#include "rl/trainer.h"

namespace retort::rl {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double unbiased_std(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  double mean = 0, var = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  for (double x : v) var += (x - mean) * (x - mean) / static_cast<double>(v.size() - 1);
  return std::sqrt(var);
}

}  // namespace

std::vector<Example> Trainer::draw_rl_examples(int64_t count) {
  if (!miner_) return next_batch(count);
  if (miner_->stage() == 1 && std::all_of(train_ids_.begin(), train_ids_.end(),
                                          [&](const std::string& id) { return miner_->is_persistent_failure(id); })) {
    miner_->start_stage2();  // stage 1 has nothing left to draw: rewards are as sparse as they get
    log::info("hard-sample mining: every example is a persistent failure; stage 2 from RL step " +
              std::to_string(rl_step_index() + 1));
  }
  std::vector<Example> batch;
  for (const auto& id : miner_->sample(train_ids_, static_cast<size_t>(count), rng_.stream("hard-samples")))
    batch.push_back(train_[train_index_.at(id)]);
  return batch;
}

std::vector<Trainer::RolloutGroup> Trainer::roll_out_groups(const std::vector<Example>& examples,
                                                            const std::vector<int64_t>& sizes) {
  const auto& rl = config_.rl;
  auto t0 = Clock::now();
  // Data parallel: this rank rolls out and scores its share of the groups (a group never splits), then
  // every rank gets every group (rl/rollout_exchange.h). One process: all groups are its own.
  auto& dist = dist::world();
  auto [first, last] = dist.shard(static_cast<int64_t>(examples.size()));
  std::vector<PromptInputs> inputs;
  std::vector<std::vector<chem::Image>> prompt_images(examples.size());
  for (size_t k = 0; k < examples.size(); ++k) {
    const bool mine = static_cast<int64_t>(k) >= first && static_cast<int64_t>(k) < last;
    PromptInputs p = prompts_->build(examples[k]);
    if (!mine) {
      prompt_images[k] = std::move(p.images);
      continue;
    }
    for (int64_t g = 0; g < sizes[k]; ++g) inputs.push_back(p);
  }
  rollout::SamplingParams sampling{rl.temperature, rl.top_k, rl.top_p, rl.min_p};
  uint64_t seed = rng_.stream("sampler")();
  if (dist.rank() > 0) seed = mix_seed(seed, "rank-" + std::to_string(dist.rank()));  // rank 0 keeps one process's seed
  std::vector<Rollout> rollouts;
  if (!inputs.empty()) rollouts = sample_rollouts(*policy_, *prompts_, inputs, sampling, rl.max_new_tokens, seed);
  // Model output is untrusted: a sampled <|image|> id would be read as an image placeholder by the
  // update's forward pass. Such a rollout keeps its prefix before that token (still an on-policy
  // sample of the prefix) and counts as clipped.
  if (auto image_id = tokenizer_->token_to_id("<|image|>"))
    for (auto& r : rollouts) {
      auto at = std::find(r.tokens.begin(), r.tokens.end(), static_cast<int64_t>(*image_id));
      if (at == r.tokens.end()) continue;
      const size_t keep = static_cast<size_t>(at - r.tokens.begin());
      r.tokens.resize(keep);
      r.logprobs.resize(std::min(r.logprobs.size(), keep));
      r.token_mask.resize(std::min(r.token_mask.size(), keep));
      r.completion = prompts_->completion_text(r.tokens);
      r.clipped = true;
    }
  std::vector<RolloutGroup> groups(last - first);
  size_t next = 0;
  for (int64_t k = first; k < last; ++k) {
    groups[k - first].example = examples[k];
    for (int64_t g = 0; g < sizes[k]; ++g) groups[k - first].rollouts.push_back(std::move(rollouts[next++]));
  }
  rollout_seconds_ += seconds_since(t0);
  auto t1 = Clock::now();
  if (!groups.empty()) score_groups(groups);
  reward_seconds_ += seconds_since(t1);
  if (!dist.distributed()) return groups;
  std::vector<ExchangedGroup> local;
  for (auto& g : groups) local.push_back({std::move(g.rollouts), std::move(g.scores), std::move(g.rewards)});
  auto exchanged = all_gather_groups(dist, std::move(local));
  std::vector<RolloutGroup> all_groups(examples.size());
  for (size_t k = 0; k < examples.size(); ++k) {
    all_groups[k].example = examples[k];
    all_groups[k].rollouts = std::move(exchanged[k].rollouts);
    all_groups[k].scores = std::move(exchanged[k].scores);
    all_groups[k].rewards = std::move(exchanged[k].rewards);
    if (static_cast<int64_t>(k) < first || static_cast<int64_t>(k) >= last)
      for (auto& r : all_groups[k].rollouts) r.images = prompt_images[k];
  }
  return all_groups;
}

void Trainer::score_groups(std::vector<RolloutGroup>& groups) {
  const auto& rl = config_.rl;
  const auto& noisy = rl.noisy_verifier;
  for (auto& group : groups) {
    group.scores.clear();
    group.rewards.clear();
    for (const auto& r : group.rollouts) {
      Score s = score_completion(group.example, r.completion);
      double reward = s.total;
      if (noisy.correction == "backward")
        reward = backward_corrected_reward(reward, noisy.false_positive_rate, noisy.false_negative_rate);
      else if (noisy.correction == "forward")
        reward = forward_correction_weight(reward, noisy.false_negative_rate);
      reward += tool_error_penalty(config_.tools, r.tool_calls);  // tools.error_cost per failed call (issue 7)
      group.scores.push_back(std::move(s));
      group.rewards.push_back(reward);
    }
  }
  if (rl.sar_weight > 0) add_self_aligned_rewards(groups);
  if (rl.likelihood_reward.kind != "none") add_likelihood_rewards(groups);
  if (rl.overlong_buffer > 0)
    for (auto& group : groups)
      for (size_t i = 0; i < group.rollouts.size(); ++i)
        group.rewards[i] += overlong_penalty(static_cast<int64_t>(group.rollouts[i].tokens.size()), rl.max_new_tokens,
                                             rl.overlong_buffer);
}

// Likelihood rewards: the reference answer a* is appended after the policy's reasoning z (its tokens
// before <answer>, or all of them when it wrote no answer slot) and "<answer>"; log pi(a* | q, z, <answer>).
void Trainer::add_likelihood_rewards(std::vector<RolloutGroup>& groups) {
  const auto& lr = config_.rl.likelihood_reward;
  auto answer_open = tokenizer_->token_to_id("<answer>");
  std::vector<int64_t> open_ids;
  if (answer_open) open_ids = {*answer_open};
  else
    for (int32_t id : tokenizer_->encode("<answer>")) open_ids.push_back(id);
  std::vector<ContinuationRequest> requests, baselines;
  std::vector<bool> has_slot;
  for (const auto& group : groups) {
    auto text = reference_answer_text_of(group.example);
    if (!text || text->empty())
      throw DataError("example " + group.example.id + ": rl.likelihood_reward needs a reference answer text "
                      "(a string, number or boolean answer, or meta.answer_text)");
    std::vector<int64_t> answer_ids;
    for (int32_t id : tokenizer_->encode(*text)) answer_ids.push_back(id);
    for (const auto& r : group.rollouts) {
      std::vector<int64_t> reasoning;
      for (int64_t id : r.tokens) {
        if (answer_open && id == *answer_open) break;
        if (id == prompts_->end_of_turn_id() || id == prompts_->end_of_text_id()) break;
        reasoning.push_back(id);
      }
      ContinuationRequest request{r.prompt_ids, answer_ids, r.images};
      request.prefix.insert(request.prefix.end(), reasoning.begin(), reasoning.end());
      request.prefix.insert(request.prefix.end(), open_ids.begin(), open_ids.end());
      requests.push_back(std::move(request));
      has_slot.push_back(r.completion.find("<answer>") != std::string::npos);
    }
    if (lr.kind == "rlpr") {  // a* right after the prompt: the no-reasoning baseline, once per group
      ContinuationRequest baseline{group.rollouts.front().prompt_ids, answer_ids, group.rollouts.front().images};
      baseline.prefix.insert(baseline.prefix.end(), open_ids.begin(), open_ids.end());
      baselines.push_back(std::move(baseline));
    }
  }
  auto logps = continuation_logprobs(*policy_, requests, prompts_->pad_id(), config_.rl.micro_batch_size);
  auto base = continuation_logprobs(*policy_, baselines, prompts_->pad_id(), config_.rl.micro_batch_size);
  size_t n = 0;
  for (size_t k = 0; k < groups.size(); ++k) {
    auto& group = groups[k];
    for (size_t i = 0; i < group.rollouts.size(); ++i, ++n) {
      double value = 0;
      if (lr.kind == "log_prob") {
        value = log_prob_reward(logps[n], lr.per_token);
      } else if (lr.kind == "verifree") {
        value = verifree_reward(logps[n], has_slot[n]);
      } else {
        const auto& c = group.scores[i].components;
        bool format_ok = c.count("format") ? c.at("format") > 0 : has_slot[n];
        value = rlpr_reward(logps[n], base[k], format_ok, lr.format_bonus);
      }
      group.scores[i].components["likelihood"] = value;
      group.rewards[i] += lr.weight * value;
      if (lr.answer_gradient && lr.kind != "rlpr") {
        group.answer_rows.push_back(requests[n]);
        group.answer_row_weights.push_back(
            answer_gradient_coefficient(lr.kind, logps[n], lr.weight, lr.per_token, has_slot[n]));
      }
    }
  }
}

// SAR: the response's perplexity with the question against with an empty user turn, over the tokens
// the policy sampled (appended tool tokens excluded).
void Trainer::add_self_aligned_rewards(std::vector<RolloutGroup>& groups) {
  Example blank;
  blank.id = "sar-empty-user-turn";
  blank.prompt = "";
  const std::vector<int64_t> blank_prompt = prompts_->build(blank).ids;
  std::vector<ContinuationRequest> with_question, without_question;
  for (const auto& group : groups)
    for (const auto& r : group.rollouts) {
      with_question.push_back({r.prompt_ids, r.tokens, r.images});
      without_question.push_back({blank_prompt, r.tokens, {}});
    }
  auto with = continuation_logprobs(*policy_, with_question, prompts_->pad_id(), config_.rl.micro_batch_size);
  auto without = continuation_logprobs(*policy_, without_question, prompts_->pad_id(), config_.rl.micro_batch_size);
  size_t n = 0;
  for (auto& group : groups)
    for (size_t i = 0; i < group.rollouts.size(); ++i, ++n) {
      std::vector<double> a, b;
      const auto& mask = group.rollouts[i].token_mask;
      for (size_t t = 0; t < with[n].size(); ++t)
        if (t >= mask.size() || mask[t] > 0) a.push_back(with[n][t]), b.push_back(without[n][t]);
      double value = a.empty() ? 0.0 : self_aligned_reward(a, b);
      group.scores[i].components["self_aligned"] = value;
      group.rewards[i] += config_.rl.sar_weight * value;
    }
}

std::vector<Trainer::RolloutGroup> Trainer::generate_groups(int64_t count, std::map<std::string, double>& m) {
  auto examples = draw_rl_examples(count);
  std::vector<int64_t> sizes;
  for (const auto& e : examples)
    sizes.push_back(miner_ ? miner_->rollouts_for(e.id, config_.rl.group_size) : config_.rl.group_size);
  auto groups = roll_out_groups(examples, sizes);
  if (miner_)
    for (const auto& g : groups) {
      std::vector<double> totals;
      for (const auto& s : g.scores) totals.push_back(s.total);
      miner_->record(g.example.id, totals);  // pass = the verifier's total >= pass_threshold
    }
  if (hints_) apply_hints(groups, m);
  return groups;
}

// Scaf-GRPO: for a group with no correct rollout whose example has stayed unsolved for `patience`
// visits (after the warm-up), roll out the prompt + "\n\nHint: " + meta.hints[tier], lowest tier
// first; the first correct hinted rollout replaces the group's first (failed) rollout.
void Trainer::apply_hints(std::vector<RolloutGroup>& groups, std::map<std::string, double>& m) {
  const int64_t step = rl_step_index();
  const auto& key = config_.rl.hints.meta_key;
  std::vector<size_t> pending;
  for (size_t k = 0; k < groups.size(); ++k) {
    std::vector<double> correct;
    bool any = false;
    for (const auto& s : groups[k].scores) correct.push_back(s.correct ? 1.0 : 0.0), any = any || s.correct;
    hints_->record_visit(groups[k].example.id, step, correct);
    if (any || hints_->tiers_to_try(groups[k].example.id, step).empty()) continue;
    const auto& meta = groups[k].example.meta;
    if (!meta.is_object() || !meta.contains(key) || !meta[key].is_array() || meta[key].empty()) continue;
    pending.push_back(k);
  }
  m["hints/groups_tried"] += static_cast<double>(pending.size());
  for (int64_t tier = 0; !pending.empty(); ++tier) {
    std::vector<Example> hinted;
    std::vector<size_t> who, still;
    for (size_t k : pending) {
      const auto& list = groups[k].example.meta[key];
      const auto tiers = hints_->tiers_to_try(groups[k].example.id, step);
      if (tier >= static_cast<int64_t>(std::min(list.size(), tiers.size()))) {
        hints_->record_hint_result(groups[k].example.id, -1);  // no tier left for it
        continue;
      }
      if (!list[tier].is_string())
        throw DataError("example " + groups[k].example.id + ": meta." + key + "[" + std::to_string(tier) + "] must be a string");
      Example e = groups[k].example;
      e.prompt += "\n\nHint: " + list[tier].get<std::string>();
      hinted.push_back(std::move(e));
      who.push_back(k);
    }
    if (hinted.empty()) break;
    auto tries = roll_out_groups(hinted, std::vector<int64_t>(hinted.size(), 1));
    for (size_t j = 0; j < who.size(); ++j) {
      auto& group = groups[who[j]];
      if (!tries[j].scores[0].correct) {
        still.push_back(who[j]);
        continue;
      }
      group.rollouts[0] = std::move(tries[j].rollouts[0]);
      group.scores[0] = std::move(tries[j].scores[0]);
      group.rewards[0] = tries[j].rewards[0];
      group.hint_tier = tier;
      hints_->record_hint_result(group.example.id, tier);
      m["hints/solved"] += 1;
    }
    pending = std::move(still);
  }
}

std::vector<bool> Trainer::groups_to_train(const std::vector<RolloutGroup>& groups) {
  std::vector<bool> keep(groups.size(), true);
  if (config_.rl.dynamic_sampling)
    for (size_t k = 0; k < groups.size(); ++k) {
      const auto& r = groups[k].rewards;
      keep[k] = std::any_of(r.begin(), r.end(), [&](double x) { return x != r.front(); });
    }
  if (rlpr_filter_) {
    std::vector<double> stds;
    for (const auto& g : groups) stds.push_back(unbiased_std(g.rewards));
    auto flags = rlpr_filter_->filter(stds);
    for (size_t k = 0; k < groups.size(); ++k) keep[k] = keep[k] && flags[k];
  }
  return keep;
}

std::map<std::string, double> Trainer::rl_step() {
  const auto& rl = config_.rl;
  std::map<std::string, double> m;
  auto t0 = Clock::now();
  rollout_seconds_ = reward_seconds_ = 0;
  if (miner_ && miner_->stage() == 1 &&
      (miner_->rewards_sparse() || (rl.hard_sample_mining.stage2_step > 0 && rl_step_index() + 1 >= rl.hard_sample_mining.stage2_step))) {
    miner_->start_stage2();
    log::info("hard-sample mining: stage 2 from RL step " + std::to_string(rl_step_index() + 1));
  }
  if (hints_) m["hints/groups_tried"] = 0, m["hints/solved"] = 0;

  // Rollout groups; with dynamic sampling, more rounds until P groups carry reward spread (bounded).
  std::vector<RolloutGroup> all = generate_groups(rl.prompts_per_step, m);
  std::vector<bool> keep = groups_to_train(all);
  auto kept_count = [&] { return std::count(keep.begin(), keep.end(), true); };
  int64_t rounds = 0;
  while (rl.dynamic_sampling && kept_count() < rl.prompts_per_step && rounds < rl.max_refill_rounds) {
    auto more = generate_groups(rl.prompts_per_step - kept_count(), m);
    auto flags = groups_to_train(more);
    for (size_t k = 0; k < more.size(); ++k) all.push_back(std::move(more[k])), keep.push_back(flags[k]);
    ++rounds;
  }
  std::vector<RolloutGroup> train_groups;
  for (size_t k = 0; k < all.size() && static_cast<int64_t>(train_groups.size()) < rl.prompts_per_step; ++k)
    if (keep[k]) train_groups.push_back(all[k]);
  m["rl/refill_rounds"] = static_cast<double>(rounds);
  m["rl/prompts_generated"] = static_cast<double>(all.size());
  m["rl/groups_kept"] = static_cast<double>(train_groups.size());

  // Metrics over every generated rollout.
  std::vector<double> rewards;
  std::vector<int64_t> group_ids;
  std::map<std::string, std::pair<double, int>> components;
  double correct = 0, clipped = 0, length = 0;
  for (size_t k = 0; k < all.size(); ++k)
    for (size_t i = 0; i < all[k].rollouts.size(); ++i) {
      const auto& s = all[k].scores[i];
      rewards.push_back(all[k].rewards[i]);
      group_ids.push_back(static_cast<int64_t>(k));
      for (const auto& [name, v] : s.components) components[name].first += v, components[name].second += 1;
      correct += s.correct;
      clipped += all[k].rollouts[i].clipped;
      length += static_cast<double>(all[k].rollouts[i].tokens.size());
    }
  const double B = static_cast<double>(rewards.size());
  double mean = 0;
  for (double r : rewards) mean += r / B;
  m["reward/mean"] = mean;
  m["reward/std"] = unbiased_std(rewards);
  for (const auto& [name, sum_count] : components) m["rewards/" + name + "/mean"] = sum_count.first / sum_count.second;
  m["accuracy"] = correct / B;
  m["frac_reward_zero_std"] = fraction_zero_std_groups(rewards, group_ids);
  m["completions/mean_length"] = length / B;
  m["completions/clipped_ratio"] = clipped / B;
  if (config_.tools.enabled) {  // tools/calls_per_episode, tools/error_rate, tools/<name>/calls (issue 7)
    std::vector<std::vector<ToolCallRecord>> calls;
    for (const auto& g : all)
      for (const auto& r : g.rollouts) calls.push_back(r.tool_calls);
    for (const auto& [name, value] : tool_metrics(calls)) m[name] = value;
  }
  if (miner_) {
    double failures = 0, batch_hard = 0;
    for (const auto& id : train_ids_) failures += miner_->is_persistent_failure(id);
    for (const auto& g : all) batch_hard += miner_->is_persistent_failure(g.example.id);
    m["hard_samples/stage"] = miner_->stage();
    m["hard_samples/persistent_failures"] = failures;
    m["hard_samples/batch_hard_fraction"] = batch_hard / static_cast<double>(all.size());
  }

  // Samples for people to read.
  if (dist::world().is_main()) {  // rank 0 writes (every rank holds every group)
    std::ofstream samples(config_.run_dir + "/samples.jsonl", std::ios::app);
    int64_t written = 0;
    for (size_t k = 0; k < all.size() && written < config_.samples_per_step; ++k)
      for (size_t i = 0; i < all[k].rollouts.size() && written < config_.samples_per_step; ++i, ++written) {
        const auto& s = all[k].scores[i];
        nlohmann::json line = {{"step", step_ + 1}, {"id", all[k].example.id}, {"task", all[k].example.task},
                               {"completion", all[k].rollouts[i].completion}, {"reward", all[k].rewards[i]},
                               {"correct", s.correct}, {"components", s.components}, {"reasons", s.reasons}};
        if (all[k].hint_tier >= 0 && i == 0) line["hint_tier"] = all[k].hint_tier;
        if (config_.tools.enabled) line["transcript"] = all[k].rollouts[i].transcript;  // tool turns included
        samples << line.dump() << "\n";
      }
  }
  m["timing_s/rollout"] = rollout_seconds_;
  m["timing_s/reward"] = reward_seconds_;

  if (train_groups.empty()) {  // nothing carries signal: no update this step
    m["grad_norm"] = 0;
    m["lr"] = learning_rate_at(optimizer_->options(), optimizer_->steps_taken());
    return m;
  }
  auto update = update_policy(train_groups);
  m.insert(update.begin(), update.end());
  m["perf/tokens_per_s"] = m["perf/tokens"] * rl.epochs / std::max(1e-9, seconds_since(t0));
  return m;
}

std::map<std::string, double> Trainer::update_policy(const std::vector<RolloutGroup>& groups) {
  const auto& rl = config_.rl;
  std::map<std::string, double> m;
  // Training rows: prompt + completion, loss mask on sampled tokens (appended tool tokens stay 0).
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<float>> masks, old;
  std::vector<std::vector<chem::Image>> images;
  std::vector<double> row_rewards;
  std::vector<int64_t> row_groups;
  for (size_t k = 0; k < groups.size(); ++k)
    for (size_t i = 0; i < groups[k].rollouts.size(); ++i) {
      const Rollout& r = groups[k].rollouts[i];
      std::vector<int64_t> row = r.prompt_ids;
      row.insert(row.end(), r.tokens.begin(), r.tokens.end());
      std::vector<float> mask(r.prompt_ids.size(), 0.0f);
      mask.insert(mask.end(), r.token_mask.begin(), r.token_mask.end());
      std::vector<float> sampled(r.prompt_ids.size(), 0.0f);
      sampled.insert(sampled.end(), r.logprobs.begin(), r.logprobs.end());
      ids.push_back(std::move(row));
      masks.push_back(std::move(mask));
      old.push_back(std::move(sampled));
      images.push_back(r.images);
      row_rewards.push_back(groups[k].rewards[i]);
      row_groups.push_back(static_cast<int64_t>(k));
    }
  const int64_t N = static_cast<int64_t>(ids.size());
  at::Device device = policy_->device();
  const bool autocast = autocast_wanted(config_.model.autocast, device, policy_->dtype());
  SequenceBatch full = pack_sequences(ids, masks, {}, prompts_->pad_id(), device);
  const int64_t T = full.input_ids.size(1);
  at::Tensor old_logp = at::zeros({N, T}, at::kFloat);  // (N, T)
  for (int64_t n = 0; n < N; ++n)
    old_logp[n].narrow(0, 0, static_cast<int64_t>(old[n].size())).copy_(at::tensor(old[n]));
  old_logp = old_logp.to(device);
  at::Tensor reward_tensor = at::tensor(row_rewards, at::kDouble).to(at::kFloat).to(device);  // (N,)
  at::Tensor group_tensor = at::tensor(row_groups, at::kLong).to(device);                     // (N,)

  AdvantageInputs adv_in;
  adv_in.rewards = reward_tensor;
  adv_in.group_ids = group_tensor;
  adv_in.response_mask = full.loss_mask;
  adv_in.token_ids = full.input_ids;
  adv_in.valid_mask = full.attention_mask.to(at::kFloat);
  AdvantageOptions adv_opt;
  if (!rl.scaling.empty()) adv_opt.scaling = parse_reward_scaling(rl.scaling);
  at::Tensor advantages = compute_advantages(rl.advantage, adv_in, adv_opt);  // (N, T)
  // Data parallel: the advantages and loss normalisers above are over the whole batch; this rank trains
  // rows [row_first, row_last), its share of the groups (one process: all rows).
  auto [group_first, group_last] = dist::world().shard(static_cast<int64_t>(groups.size()));
  int64_t row_first = 0, row_last = 0;
  for (int64_t k = 0; k < static_cast<int64_t>(groups.size()); ++k) {
    const auto rows = static_cast<int64_t>(groups[k].rollouts.size());
    row_first += k < group_first ? rows : 0;
    row_last += k < group_last ? rows : 0;
  }

  // Micro-batches: each packs its own rows (its own padding); advantages etc. are sliced to match.
  auto micro = [&](int64_t a, int64_t b) {
    std::vector<std::vector<int64_t>> sub_ids(ids.begin() + a, ids.begin() + b);
    std::vector<std::vector<float>> sub_masks(masks.begin() + a, masks.begin() + b);
    std::vector<std::vector<chem::Image>> sub_images(images.begin() + a, images.begin() + b);
    return pack_sequences(sub_ids, sub_masks, sub_images, prompts_->pad_id(), device);
  };
  auto t2 = Clock::now();
  std::vector<at::Tensor> ref_logp;  // per micro-batch, only with a KL term (reference_ exists then)
  if (rl.kl_coef > 0) {
    if (!reference_) throw std::logic_error("rl.kl_coef > 0 but no reference policy was made");
    at::NoGradGuard no_grad;
    AutocastScope scope(autocast, device.type());
    for (int64_t a = row_first; a < row_last; a += rl.micro_batch_size)
      ref_logp.push_back(token_logprobs(*reference_, micro(a, std::min(row_last, a + rl.micro_batch_size)), false).logp.to(at::kFloat));
  }
  if (rl.old_logprobs == "recompute") {
    at::NoGradGuard no_grad;
    AutocastScope scope(autocast, device.type());
    for (int64_t a = row_first; a < row_last; a += rl.micro_batch_size) {
      int64_t b = std::min(row_last, a + rl.micro_batch_size);
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
    for (int64_t a = row_first, k = 0; a < row_last; a += rl.micro_batch_size, ++k) {
      int64_t b = std::min(row_last, a + rl.micro_batch_size);
      SequenceBatch mb = micro(a, b);
      const int64_t Tm = mb.input_ids.size(1);
      TokenLogprobs lp;
      {
        AutocastScope scope(autocast, device.type());
        lp = token_logprobs(*policy_, mb, /*with_entropy=*/true);
      }
      PolicyLossInputs in;
      in.logp = lp.logp.to(at::kFloat);
      in.old_logp = old_logp.narrow(0, a, b - a).narrow(1, 0, Tm);
      in.advantages = advantages.narrow(0, a, b - a).narrow(1, 0, Tm);
      in.mask = mb.loss_mask;
      in.entropy = rl.entropy_coef > 0 ? lp.entropy.to(at::kFloat) : lp.entropy.detach().to(at::kFloat);  // the bonus needs its gradient
      in.rewards = reward_tensor.narrow(0, a, b - a);
      in.group_ids = group_tensor.narrow(0, a, b - a);
      if (!ref_logp.empty()) in.ref_logp = ref_logp[k];
      PolicyLossOutput out = compute_policy_loss(rl.loss, in, loss_opt);
      out.loss.backward();
      epoch_loss += out.loss.item<double>();
      for (const auto& [name, v] : out.metrics) loss_metrics[name] += v;
      ++micro_batches;
    }
    epoch_loss += backward_answer_gradient(groups, group_first, group_last, loss_opt, m);
    epoch_loss = dist::world().all_reduce(epoch_loss, dist::ReduceOp::sum);  // global: every rank skips or steps alike
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
  m["perf/tokens"] = full.attention_mask.narrow(0, row_first, row_last - row_first).sum().item<double>();  // this rank's
  return m;
}

}  // namespace retort::rl
