// AdamW with a warmup + cosine/constant schedule, global-norm clipping and a NaN/Inf step guard.
#include "rl/optimizer.h"

#include <cmath>
#include <numbers>
#include <sstream>

#include <torch/optim/adamw.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "core/errors.h"
#include "core/log.h"

namespace retort::rl {

double learning_rate_at(const OptimizerOptions& o, int64_t step) {
  if (step < o.warmup_steps) return o.lr * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, o.warmup_steps));
  if (o.schedule == "constant" || o.total_steps <= 0) return o.lr;
  if (o.schedule != "cosine") throw ConfigError("optimizer schedule '" + o.schedule + "' is not one of cosine, constant");
  double progress = static_cast<double>(step - o.warmup_steps) /
                    static_cast<double>(std::max<int64_t>(1, o.total_steps - o.warmup_steps));
  progress = std::clamp(progress, 0.0, 1.0);
  const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return o.lr * (o.min_lr_ratio + (1.0 - o.min_lr_ratio) * cosine);
}

PolicyOptimizer::PolicyOptimizer(std::vector<at::Tensor> parameters, OptimizerOptions options)
    : options_(std::move(options)), parameters_(std::move(parameters)) {
  if (options_.schedule != "cosine" && options_.schedule != "constant")
    throw ConfigError("optimizer schedule '" + options_.schedule + "' is not one of cosine, constant");
  if (options_.max_consecutive_bad_steps < 1) throw ConfigError("optimizer max_consecutive_bad_steps must be >= 1");
  auto adamw_options = torch::optim::AdamWOptions(options_.lr)
                           .betas({options_.beta1, options_.beta2})
                           .eps(options_.eps)
                           .weight_decay(options_.weight_decay);
  adamw_ = std::make_unique<torch::optim::AdamW>(parameters_, adamw_options);
}

PolicyOptimizer::~PolicyOptimizer() = default;

void PolicyOptimizer::zero_grad() { adamw_->zero_grad(/*set_to_none=*/true); }

OptimizerStepReport PolicyOptimizer::step(double loss) {
  OptimizerStepReport report;
  report.lr = learning_rate_at(options_, steps_taken_);
  if (gradient_reduce_) {
    std::vector<at::Tensor> gradients;
    std::vector<size_t> materialised;  // parameters that had no gradient here
    gradients.reserve(parameters_.size());
    for (size_t i = 0; i < parameters_.size(); ++i) {
      if (!parameters_[i].grad().defined()) {
        parameters_[i].mutable_grad() = at::zeros_like(parameters_[i]);
        materialised.push_back(i);
      }
      gradients.push_back(parameters_[i].grad());
    }
    gradient_reduce_(gradients);
    // Still zero after the reduction: no rank had a gradient, so AdamW skips it (no weight decay), as it would
    // in one process.
    for (size_t i : materialised)
      if (!parameters_[i].grad().any().item<bool>()) parameters_[i].mutable_grad() = at::Tensor();
  }
  // Global L2 norm over every gradient (in float64 so a large model's sum does not overflow).
  double squared = 0;
  for (auto& p : parameters_)
    if (p.grad().defined()) squared += p.grad().detach().to(at::kDouble).pow(2).sum().item<double>();
  report.grad_norm = std::sqrt(squared);
  if (!std::isfinite(report.grad_norm) || !std::isfinite(loss)) {
    report.skipped = true;
    report.consecutive_bad_steps = ++consecutive_bad_steps_;
    ++total_bad_steps_;
    zero_grad();
    log::warn("optimizer: skipped a step with a non-finite " + std::string(std::isfinite(loss) ? "gradient" : "loss") +
              " (loss " + std::to_string(loss) + ", grad norm " + std::to_string(report.grad_norm) + "); " +
              std::to_string(consecutive_bad_steps_) + " in a row");
    if (consecutive_bad_steps_ >= options_.max_consecutive_bad_steps)
      throw TrainingDiverged("optimizer: " + std::to_string(consecutive_bad_steps_) +
                             " consecutive steps with a non-finite loss or gradient; stopping (limit "
                             "max_consecutive_bad_steps = " + std::to_string(options_.max_consecutive_bad_steps) + ")");
    return report;
  }
  consecutive_bad_steps_ = 0;
  if (options_.max_grad_norm > 0 && report.grad_norm > options_.max_grad_norm) {
    const double scale = options_.max_grad_norm / (report.grad_norm + 1e-6);  // as torch.nn.utils.clip_grad_norm_
    at::NoGradGuard no_grad;
    for (auto& p : parameters_)
      if (p.grad().defined()) p.grad().mul_(scale);
  }
  for (auto& group : adamw_->param_groups()) group.options().set_lr(report.lr);
  adamw_->step();
  zero_grad();
  ++steps_taken_;
  return report;
}

std::string PolicyOptimizer::state_bytes() const {
  torch::serialize::OutputArchive archive;
  adamw_->save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void PolicyOptimizer::load_state_bytes(const std::string& bytes) {
  torch::serialize::InputArchive archive;
  std::istringstream in(bytes);
  try {
    archive.load_from(in);
    adamw_->load(archive);
  } catch (const c10::Error& e) {
    throw IoError(std::string("optimizer state: cannot load (") + e.what_without_backtrace() + ")");
  }
}

nlohmann::json PolicyOptimizer::counters_json() const {
  return {{"steps_taken", steps_taken_},
          {"consecutive_bad_steps", consecutive_bad_steps_},
          {"total_bad_steps", total_bad_steps_}};
}

void PolicyOptimizer::load_counters_json(const nlohmann::json& counters) {
  steps_taken_ = counters.at("steps_taken").get<int64_t>();
  consecutive_bad_steps_ = counters.at("consecutive_bad_steps").get<int64_t>();
  total_bad_steps_ = counters.at("total_bad_steps").get<int64_t>();
}

}  // namespace retort::rl
