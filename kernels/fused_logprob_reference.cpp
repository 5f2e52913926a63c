// The ATen reference of fused_logprob's two tile operations (see fused_logprob_tiles.h): plain tensor
// ops, any device, at most two tile-sized temporaries each. The CUDA kernels in fused_logprob.cu
// compute the same thing in one pass over the tile.
#include "kernels/fused_logprob_tiles.h"

#include <ATen/ATen.h>

namespace retort::kernels::detail {

namespace {

// (rows,) int64: each target's column inside the tile, clamped into it, and whether it is there.
std::pair<at::Tensor, at::Tensor> target_columns(const at::Tensor& targets, int64_t vocab_begin, int64_t cols) {
  at::Tensor local = targets - vocab_begin;                 // (rows,)
  at::Tensor inside = local.ge(0).logical_and_(local.lt(cols));  // (rows,) bool
  return {local.clamp(0, cols - 1), inside};
}

}  // namespace

void reference_update_row_stats(const at::Tensor& logits, int64_t vocab_begin, const at::Tensor& targets,
                                RowStats& stats) {
  const int64_t cols = logits.size(1);
  at::Tensor z = logits.to(at::kFloat);                     // (rows, cols)
  at::Tensor new_max = at::maximum(stats.max, z.amax(1));   // (rows,)
  at::Tensor rescale = (stats.max - new_max).exp_();        // (rows,) exp(-inf) = 0 on the first tile
  at::Tensor e = (z - new_max.unsqueeze(1)).exp_();         // (rows, cols)
  stats.sum_exp = stats.sum_exp * rescale + e.sum(1);
  stats.sum_exp_logit = stats.sum_exp_logit * rescale + e.mul_(z).sum(1);
  stats.max = new_max;
  auto [column, inside] = target_columns(targets, vocab_begin, cols);
  at::Tensor picked = z.gather(1, column.unsqueeze(1)).squeeze(1);  // (rows,)
  stats.target_logit = at::where(inside, picked, stats.target_logit);
}

at::Tensor reference_tile_grad(at::Tensor logits, int64_t vocab_begin, const at::Tensor& targets,
                               const at::Tensor& log_normaliser, const at::Tensor& mean_logit,
                               const at::Tensor& grad_logp, const at::Tensor& grad_entropy) {
  const int64_t cols = logits.size(1);
  const at::ScalarType dtype = logits.scalar_type();
  at::Tensor z = logits.to(at::kFloat);                     // (rows, cols), LOGITS itself when fp32
  logits = at::Tensor();                                    // drop the bf16/fp16 tile early
  at::Tensor grad = (z - log_normaliser.unsqueeze(1)).exp_();  // (rows, cols) p
  // z <- grad_logp + grad_entropy * (z - mean_logit); grad <- -p * z
  z.sub_(mean_logit.unsqueeze(1)).mul_(grad_entropy.unsqueeze(1)).add_(grad_logp.unsqueeze(1));
  grad.mul_(z).neg_();
  z = at::Tensor();
  auto [column, inside] = target_columns(targets, vocab_begin, cols);
  grad.scatter_add_(1, column.unsqueeze(1), (grad_logp * inside).unsqueeze(1));  // + grad_logp at the target
  return grad.to(dtype);
}

}  // namespace retort::kernels::detail
