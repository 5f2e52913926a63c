// fused_logprob (see fused_logprob.h): the tile loops and the autograd function. Forward walks row
// chunks, and inside each the vocabulary chunks, folding every logits tile into online-softmax row
// statistics; backward walks vocabulary chunks outside and row chunks inside, recomputes each tile,
// turns it into dL/dlogits and accumulates dL/dhidden (N, H) and dL/dweight (V, H) with two GEMMs.
// The tile operations are the CUDA kernels for CUDA tensors (when built with CUDA) and the ATen
// reference otherwise. Also plain_logprob, the full log_softmax path.
#include "kernels/fused_logprob.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "kernels/fused_logprob_tiles.h"

namespace retort::kernels {

namespace {

using detail::RowStats;

bool use_cuda_kernels(const at::Tensor& t) {
#ifdef RETORT_WITH_CUDA
  return t.is_cuda();
#else
  (void)t;
  return false;
#endif
}

void update_row_stats(const at::Tensor& logits, int64_t vocab_begin, const at::Tensor& targets, RowStats& stats) {
#ifdef RETORT_WITH_CUDA
  if (use_cuda_kernels(logits)) return detail::cuda_update_row_stats(logits, vocab_begin, targets, stats);
#endif
  detail::reference_update_row_stats(logits, vocab_begin, targets, stats);
}

at::Tensor tile_grad(at::Tensor logits, int64_t vocab_begin, const at::Tensor& targets, const at::Tensor& log_normaliser,
                     const at::Tensor& mean_logit, const at::Tensor& grad_logp, const at::Tensor& grad_entropy) {
#ifdef RETORT_WITH_CUDA
  if (use_cuda_kernels(logits))
    return detail::cuda_tile_grad(std::move(logits), vocab_begin, targets, log_normaliser, mean_logit, grad_logp,
                                  grad_entropy);
#endif
  return detail::reference_tile_grad(std::move(logits), vocab_begin, targets, log_normaliser, mean_logit, grad_logp,
                                     grad_entropy);
}

// Rows per tile: GPUs want bigger GEMMs, and their tile stays small next to device memory.
int64_t rows_per_tile(const at::Tensor& hidden, const FusedLogprobOptions& options) {
  return hidden.is_cuda() ? 4 * options.row_chunk : options.row_chunk;
}

struct ForwardResult {
  at::Tensor logp, entropy, log_normaliser, mean_logit;  // (N,) fp32 each
};

// hidden (N, H), weight (V, H) contiguous, targets (N,) int64 contiguous.
ForwardResult chunked_forward(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                              const FusedLogprobOptions& options) {
  const int64_t N = hidden.size(0), V = weight.size(0);
  const int64_t row_step = rows_per_tile(hidden, options), vocab_step = options.vocab_chunk;
  const auto f32 = hidden.options().dtype(at::kFloat);
  ForwardResult out{at::empty({N}, f32), at::empty({N}, f32), at::empty({N}, f32), at::empty({N}, f32)};
  for (int64_t n0 = 0; n0 < N; n0 += row_step) {
    const int64_t rows = std::min(row_step, N - n0);
    at::Tensor h = hidden.narrow(0, n0, rows);             // (rows, H)
    at::Tensor t = targets.narrow(0, n0, rows);            // (rows,)
    RowStats stats{at::full({rows}, -std::numeric_limits<float>::infinity(), f32), at::zeros({rows}, f32),
                   at::zeros({rows}, f32), at::zeros({rows}, f32)};
    for (int64_t v0 = 0; v0 < V; v0 += vocab_step) {
      const int64_t cols = std::min(vocab_step, V - v0);
      at::Tensor logits = at::mm(h, weight.narrow(0, v0, cols).t());  // (rows, cols)
      update_row_stats(logits, v0, t, stats);
    }
    at::Tensor log_normaliser = stats.max + stats.sum_exp.log();   // (rows,) logsumexp
    at::Tensor mean_logit = stats.sum_exp_logit / stats.sum_exp;   // (rows,) sum_v p z
    out.logp.narrow(0, n0, rows).copy_(stats.target_logit - log_normaliser);
    out.entropy.narrow(0, n0, rows).copy_(log_normaliser - mean_logit);
    out.log_normaliser.narrow(0, n0, rows).copy_(log_normaliser);
    out.mean_logit.narrow(0, n0, rows).copy_(mean_logit);
  }
  return out;
}

// Gradients of sum_n grad_logp[n] logp[n] + grad_entropy[n] entropy[n]; undefined where not wanted.
std::pair<at::Tensor, at::Tensor> chunked_backward(const at::Tensor& hidden, const at::Tensor& weight,
                                                   const at::Tensor& targets, const at::Tensor& log_normaliser,
                                                   const at::Tensor& mean_logit, const at::Tensor& grad_logp,
                                                   const at::Tensor& grad_entropy, bool want_hidden, bool want_weight,
                                                   const FusedLogprobOptions& options) {
  const int64_t N = hidden.size(0), V = weight.size(0), H = hidden.size(1);
  const int64_t row_step = rows_per_tile(hidden, options), vocab_step = options.vocab_chunk;
  const bool fp32 = hidden.scalar_type() == at::kFloat;
  const auto f32 = hidden.options().dtype(at::kFloat);
  // fp32 inputs accumulate straight into the results; bf16/fp16 ones into fp32 buffers (one (N, H),
  // one (vocab_chunk, H)) so that summing over chunks does not round at every step.
  at::Tensor grad_hidden = want_hidden ? at::zeros({N, H}, f32) : at::Tensor();
  if (N == 0) return {want_hidden ? at::zeros_like(hidden) : at::Tensor(), want_weight ? at::zeros_like(weight) : at::Tensor()};
  at::Tensor grad_weight = want_weight ? at::empty({V, H}, weight.options()) : at::Tensor();
  for (int64_t v0 = 0; v0 < V; v0 += vocab_step) {
    const int64_t cols = std::min(vocab_step, V - v0);
    at::Tensor w = weight.narrow(0, v0, cols);                       // (cols, H)
    const bool single_row_tile = N <= row_step;
    at::Tensor grad_w;                                               // (cols, H) accumulator
    if (want_weight) {
      if (fp32) grad_w = grad_weight.narrow(0, v0, cols).zero_();
      else if (!single_row_tile) grad_w = at::zeros({cols, H}, f32);
    }
    for (int64_t n0 = 0; n0 < N; n0 += row_step) {
      const int64_t rows = std::min(row_step, N - n0);
      at::Tensor h = hidden.narrow(0, n0, rows);                     // (rows, H)
      at::Tensor logits = at::mm(h, w.t());                          // (rows, cols)
      at::Tensor grad_logits =
          tile_grad(std::move(logits), v0, targets.narrow(0, n0, rows), log_normaliser.narrow(0, n0, rows),
                    mean_logit.narrow(0, n0, rows), grad_logp.narrow(0, n0, rows), grad_entropy.narrow(0, n0, rows));
      if (want_hidden) {
        at::Tensor gh = grad_hidden.narrow(0, n0, rows);             // (rows, H)
        if (fp32) gh.addmm_(grad_logits, w);
        else gh.add_(at::mm(grad_logits, w));
      }
      if (want_weight) {
        if (fp32) grad_w.addmm_(grad_logits.t(), h);
        else if (single_row_tile) {
          at::Tensor slice = grad_weight.narrow(0, v0, cols);
          at::mm_out(slice, grad_logits.t(), h);
        } else grad_w.add_(at::mm(grad_logits.t(), h));
      }
    }
    if (want_weight && !fp32 && !single_row_tile) grad_weight.narrow(0, v0, cols).copy_(grad_w);
  }
  if (want_hidden && !fp32) grad_hidden = grad_hidden.to(hidden.scalar_type());
  return {grad_hidden, grad_weight};
}

struct FusedLogprobFunction : public torch::autograd::Function<FusedLogprobFunction> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& hidden,
                                                const at::Tensor& weight, const at::Tensor& targets,
                                                int64_t row_chunk, int64_t vocab_chunk) {
    const FusedLogprobOptions options{row_chunk, vocab_chunk};
    ForwardResult r = chunked_forward(hidden, weight, targets, options);
    ctx->save_for_backward({hidden, weight, targets, r.log_normaliser, r.mean_logit});
    ctx->saved_data["row_chunk"] = row_chunk;
    ctx->saved_data["vocab_chunk"] = vocab_chunk;
    return {r.logp, r.entropy};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &hidden = saved[0], &weight = saved[1], &targets = saved[2];
    const FusedLogprobOptions options{ctx->saved_data["row_chunk"].toInt(), ctx->saved_data["vocab_chunk"].toInt()};
    const int64_t N = hidden.size(0);
    const auto f32 = hidden.options().dtype(at::kFloat);
    // An output that took no part in the loss has an undefined gradient: zero.
    at::Tensor grad_logp = grads[0].defined() ? grads[0].to(at::kFloat).contiguous() : at::zeros({N}, f32);
    at::Tensor grad_entropy = grads[1].defined() ? grads[1].to(at::kFloat).contiguous() : at::zeros({N}, f32);
    auto [grad_hidden, grad_weight] =
        chunked_backward(hidden, weight, targets, saved[3], saved[4], grad_logp, grad_entropy,
                         ctx->needs_input_grad(0), ctx->needs_input_grad(1), options);
    return {grad_hidden, grad_weight, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

void check_inputs(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                  const FusedLogprobOptions& options, const char* who) {
  const std::string where = std::string(who) + ": ";
  if (!hidden.defined() || !weight.defined() || !targets.defined())
    throw std::invalid_argument(where + "hidden, weight and targets must all be given");
  if (hidden.dim() != 2 || weight.dim() != 2 || targets.dim() != 1)
    throw std::invalid_argument(where + "expected hidden (N, H), weight (V, H), targets (N,), got " +
                                std::to_string(hidden.dim()) + "-d, " + std::to_string(weight.dim()) + "-d, " +
                                std::to_string(targets.dim()) + "-d tensors");
  if (hidden.size(1) != weight.size(1))
    throw std::invalid_argument(where + "hidden has width " + std::to_string(hidden.size(1)) + " but weight has " +
                                std::to_string(weight.size(1)));
  if (targets.size(0) != hidden.size(0))
    throw std::invalid_argument(where + std::to_string(hidden.size(0)) + " hidden rows but " +
                                std::to_string(targets.size(0)) + " targets");
  if (!at::isFloatingType(hidden.scalar_type()) || hidden.scalar_type() != weight.scalar_type())
    throw std::invalid_argument(where + "hidden and weight must share one floating dtype, got " +
                                std::string(c10::toString(hidden.scalar_type())) + " and " +
                                c10::toString(weight.scalar_type()));
  if (targets.scalar_type() != at::kLong)
    throw std::invalid_argument(where + "targets must be int64, got " + std::string(c10::toString(targets.scalar_type())));
  if (hidden.device() != weight.device() || hidden.device() != targets.device())
    throw std::invalid_argument(where + "hidden, weight and targets must be on one device");
  if (weight.size(0) == 0) throw std::invalid_argument(where + "weight has no rows (empty vocabulary)");
  if (options.row_chunk <= 0 || options.vocab_chunk <= 0)
    throw std::invalid_argument(where + "row_chunk and vocab_chunk must be positive");
  if (targets.numel() > 0) {
    const int64_t low = targets.min().item<int64_t>(), high = targets.max().item<int64_t>();
    if (low < 0 || high >= weight.size(0))
      throw std::invalid_argument(where + "target id " + std::to_string(low < 0 ? low : high) +
                                  " is outside the vocabulary [0, " + std::to_string(weight.size(0)) + ")");
  }
}

}  // namespace

LogprobsAndEntropy fused_logprob(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                                 const FusedLogprobOptions& options) {
  // Under autocast both operands go to the autocast dtype, as autocast does for linear: the tiles are
  // then computed in that dtype in forward and backward alike (backward runs without autocast).
  at::Tensor h = hidden, w = weight;
  if (h.defined() && w.defined() && at::autocast::is_autocast_enabled(h.device().type())) {
    const at::ScalarType dtype = at::autocast::get_autocast_dtype(h.device().type());
    if (at::isFloatingType(h.scalar_type())) h = h.to(dtype);
    if (at::isFloatingType(w.scalar_type())) w = w.to(dtype);
  }
  check_inputs(h, w, targets, options, "fused_logprob");
  auto outputs = FusedLogprobFunction::apply(h.contiguous(), w.contiguous(), targets.contiguous(), options.row_chunk,
                                             options.vocab_chunk);
  return {outputs[0], outputs[1]};
}

LogprobsAndEntropy plain_logprob(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets) {
  check_inputs(hidden, weight, targets, FusedLogprobOptions{}, "plain_logprob");
  at::Tensor log_probs = at::log_softmax(at::linear(hidden, weight).to(at::kFloat), -1);  // (N, V)
  LogprobsAndEntropy out;
  out.logp = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1);                     // (N,)
  out.entropy = -(log_probs.exp() * log_probs).sum(-1);                                   // (N,)
  return out;
}

}  // namespace retort::kernels
