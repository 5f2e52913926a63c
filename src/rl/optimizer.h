// The policy optimiser: AdamW, warmup then cosine or constant learning rate, global-norm gradient
// clipping, and a NaN/Inf guard that skips a bad step, logs it, and stops after N bad steps in a row.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

namespace torch::optim {
class AdamW;
}

namespace retort::rl {

struct OptimizerOptions {
  double lr = 1e-6;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.01;
  int64_t warmup_steps = 0;
  int64_t total_steps = 0;        // cosine decays to min_lr_ratio * lr at this step (0: constant after warmup)
  std::string schedule = "cosine";  // "cosine" | "constant"
  double min_lr_ratio = 0.0;       // cosine floor, as a fraction of lr (verl's min_lr_ratio)
  double max_grad_norm = 1.0;      // <= 0: no clipping (the norm is still measured)
  int64_t max_consecutive_bad_steps = 5;
};

// The learning rate at optimiser step STEP (0-based), as transformers' get_{cosine,constant}_schedule_with_warmup:
// warmup: lr * step / warmup; cosine: lr * (r + (1 - r) * 0.5 (1 + cos(pi * progress))), progress = (step - warmup) /
// (total - warmup) clamped to [0, 1], r = min_lr_ratio.
double learning_rate_at(const OptimizerOptions& options, int64_t step);

struct OptimizerStepReport {
  double grad_norm = 0;  // global L2 norm before clipping (NaN/Inf when the step was skipped)
  double lr = 0;         // the learning rate used (or that would have been used)
  bool skipped = false;  // true: non-finite loss or gradient, no update, gradients zeroed
  int64_t consecutive_bad_steps = 0;
};

// Thrown when max_consecutive_bad_steps steps in a row had a non-finite loss or gradient.
struct TrainingDiverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class PolicyOptimizer {
 public:
  PolicyOptimizer(std::vector<at::Tensor> parameters, OptimizerOptions options);
  ~PolicyOptimizer();
  PolicyOptimizer(const PolicyOptimizer&) = delete;
  PolicyOptimizer& operator=(const PolicyOptimizer&) = delete;

  // Call after the micro-batches' backward passes. Measures and clips the global gradient norm;
  // if it or LOSS is NaN/Inf, skips the update (logs a warning, zeroes gradients) and throws
  // TrainingDiverged after max_consecutive_bad_steps in a row. Otherwise sets the scheduled lr,
  // steps AdamW and zeroes gradients.
  OptimizerStepReport step(double loss = 0.0);
  void zero_grad();

  // Data parallelism: when set, step() first hands every parameter's gradient (a parameter without
  // one gets zeros, so every rank passes the same list) to REDUCE, which replaces them in place (e.g.
  // dist::DistContext::all_reduce, sum over ranks), before the norm, the guard and the update. A
  // gradient still all zero after REDUCE that this rank did not have is dropped again (AdamW skips it).
  using GradientReduce = std::function<void(std::vector<at::Tensor>& gradients)>;
  void set_gradient_reduce(GradientReduce reduce) { gradient_reduce_ = std::move(reduce); }

  int64_t steps_taken() const { return steps_taken_; }  // successful updates (the schedule's step)
  const OptimizerOptions& options() const { return options_; }

  // AdamW moments as torch serialisation bytes, and the counters as JSON (trainer_state).
  std::string state_bytes() const;
  void load_state_bytes(const std::string& bytes);
  nlohmann::json counters_json() const;
  void load_counters_json(const nlohmann::json& counters);

 private:
  OptimizerOptions options_;
  std::vector<at::Tensor> parameters_;
  std::unique_ptr<torch::optim::AdamW> adamw_;
  GradientReduce gradient_reduce_;
  int64_t steps_taken_ = 0;
  int64_t consecutive_bad_steps_ = 0;
  int64_t total_bad_steps_ = 0;
};

}  // namespace retort::rl
