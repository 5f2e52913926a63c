// One SFT step: cold-start traces for a batch of examples, masked cross-entropy on the assistant's
// tokens only (prompt and image tokens carry no loss), one optimiser step.
#include <ATen/ATen.h>

#include <chrono>

#include "datasets/cold_start.h"
#include "rl/token_logprobs.h"
#include "rl/tool_traces.h"
#include "rl/trainer.h"
#include "dist/dist_context.h"

namespace retort::rl {

std::map<std::string, double> Trainer::sft_step() {
  auto start = std::chrono::steady_clock::now();
  auto examples = next_batch(config_.sft.batch_size);
  auto length = config_.sft.trace_length == "full" ? datasets::TraceLength::full : datasets::TraceLength::brief;
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<float>> masks;
  std::vector<std::vector<chem::Image>> images;
  auto [first, last] = dist::world().shard(static_cast<int64_t>(examples.size()));  // this rank's rows
  int64_t index = -1;
  for (const auto& example : examples) {
    if (++index < first || index >= last) {  // another rank's row: only keep the trace RNG in step
      if (!has_tool_trace(example))
        (void)(sft_target_function_ ? sft_target_function_(example, rng_.stream("traces"))
                                    : datasets::cold_start_completion(example, rng_.stream("traces"), length));
      continue;
    }
    PromptInputs prompt = prompts_->build(example);
    if (has_tool_trace(example)) {  // a tool-using trace: tool turns appended with mask 0 (rl/tool_traces.h)
      ToolTraceTarget trace = tool_trace_target(*prompts_, example);
      std::vector<int64_t> row = prompt.ids;
      row.insert(row.end(), trace.ids.begin(), trace.ids.end());
      std::vector<float> mask(prompt.ids.size(), 0.0f);
      mask.insert(mask.end(), trace.mask.begin(), trace.mask.end());
      ids.push_back(std::move(row));
      masks.push_back(std::move(mask));
      images.push_back(std::move(prompt.images));
      continue;
    }
    std::string completion = sft_target_function_ ? sft_target_function_(example, rng_.stream("traces"))
                                                   : datasets::cold_start_completion(example, rng_.stream("traces"), length);
    auto target = prompts_->completion_ids(completion);
    std::vector<int64_t> row = prompt.ids;
    row.insert(row.end(), target.begin(), target.end());
    std::vector<float> mask(prompt.ids.size(), 0.0f);
    mask.resize(row.size(), 1.0f);
    ids.push_back(std::move(row));
    masks.push_back(std::move(mask));
    images.push_back(std::move(prompt.images));
  }
  SequenceBatch batch = pack_sequences(ids, masks, images, prompts_->pad_id(), policy_->device());
  TokenLogprobs lp = token_logprobs(*policy_, batch, /*with_entropy=*/false);
  at::Tensor tokens = batch.loss_mask.sum();
  // Token-mean cross-entropy over the GLOBAL batch's target tokens (the ranks' gradients are summed).
  const double global_tokens = dist::world().all_reduce(tokens.item<double>(), dist::ReduceOp::sum);
  at::Tensor loss = -(lp.logp * batch.loss_mask).sum() / std::max(global_tokens, 1.0);
  loss.backward();
  double loss_value = dist::world().all_reduce(loss.item<double>(), dist::ReduceOp::sum);  // the global loss
  OptimizerStepReport report = optimizer_->step(loss_value);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double target_tokens = tokens.item<double>();
  return {{"loss", loss_value},
          {"grad_norm", report.grad_norm},
          {"lr", report.lr},
          {"sft/target_tokens", target_tokens},
          {"timing_s/update", seconds},
          {"perf/tokens_per_s", batch.attention_mask.sum().item<double>() / seconds}};
}

}  // namespace retort::rl
