// The two per-tile operations of fused_logprob (internal to kernels/), each with an ATen reference
// (fused_logprob_reference.cpp, any device) and a CUDA implementation (fused_logprob_cuda.cpp ->
// fused_logprob.cu, only when built with RETORT_WITH_CUDA). A tile is logits (rows, cols) =
// hidden[row chunk] @ weight[vocab_begin : vocab_begin + cols]^T in the input dtype.
#pragma once
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace retort::kernels::detail {

// Running online-softmax statistics of a row chunk, (rows,) fp32 each, updated in place tile by tile:
//   max          - the largest logit seen so far
//   sum_exp      - sum of exp(z - max) over the columns seen
//   sum_exp_logit - sum of exp(z - max) * z over the columns seen
//   target_logit - z[target], once the tile holding the target has been seen
struct RowStats {
  at::Tensor max, sum_exp, sum_exp_logit, target_logit;
};

// Folds one tile LOGITS (rows, cols) whose column 0 is vocabulary id VOCAB_BEGIN into STATS.
// TARGETS (rows,) int64.
void reference_update_row_stats(const at::Tensor& logits, int64_t vocab_begin, const at::Tensor& targets,
                                RowStats& stats);

// The gradient of  sum_n grad_logp[n] logp[n] + grad_entropy[n] entropy[n]  w.r.t. one tile of logits:
//   dL/dz[n, v] = grad_logp[n] * ([v == target[n]] - p[n, v]) - grad_entropy[n] * p[n, v] * (z[n, v] - mean_logit[n])
// with p = exp(z - log_normaliser). LOGITS (rows, cols) is overwritten when that saves memory; the
// result has LOGITS' dtype. LOG_NORMALISER, MEAN_LOGIT (= sum_v p z), GRAD_LOGP, GRAD_ENTROPY: (rows,) fp32.
at::Tensor reference_tile_grad(at::Tensor logits, int64_t vocab_begin, const at::Tensor& targets,
                               const at::Tensor& log_normaliser, const at::Tensor& mean_logit,
                               const at::Tensor& grad_logp, const at::Tensor& grad_entropy);

#ifdef RETORT_WITH_CUDA
// The same two operations by the CUDA kernels (contiguous CUDA tensors; fp32, bf16 or fp16 logits).
void cuda_update_row_stats(const at::Tensor& logits, int64_t vocab_begin, const at::Tensor& targets, RowStats& stats);
at::Tensor cuda_tile_grad(at::Tensor logits, int64_t vocab_begin, const at::Tensor& targets,
                          const at::Tensor& log_normaliser, const at::Tensor& mean_logit,
                          const at::Tensor& grad_logp, const at::Tensor& grad_entropy);
#endif

}  // namespace retort::kernels::detail
