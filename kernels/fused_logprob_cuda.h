// Host-side launchers of the fused_logprob CUDA kernels (fused_logprob.cu), on raw device pointers so
// that the .cu file needs neither ATen nor torch headers (fast nvcc builds). Each returns "" on
// success or the CUDA error text. Called by fused_logprob_cuda.cpp; see fused_logprob_tiles.h for
// what the two operations compute.
#pragma once
#include <cstdint>
#include <string>

namespace retort::kernels::cuda {

enum class LogitDtype { float32, bfloat16, float16 };

// LOGITS: (rows, cols) with row stride LEADING_DIM, element type DTYPE. TARGETS (rows,) int64.
// ROW_MAX, ROW_SUM_EXP, ROW_SUM_EXP_LOGIT, TARGET_LOGIT: (rows,) fp32, read and updated.
std::string launch_update_row_stats(const void* logits, LogitDtype dtype, int64_t rows, int64_t cols,
                                    int64_t leading_dim, int64_t vocab_begin, const int64_t* targets, float* row_max,
                                    float* row_sum_exp, float* row_sum_exp_logit, float* target_logit, void* stream);

// Overwrites LOGITS (rows, cols) with dL/dlogits, in the same dtype. LOG_NORMALISER, MEAN_LOGIT,
// GRAD_LOGP, GRAD_ENTROPY: (rows,) fp32.
std::string launch_tile_grad(void* logits, LogitDtype dtype, int64_t rows, int64_t cols, int64_t leading_dim,
                             int64_t vocab_begin, const int64_t* targets, const float* log_normaliser,
                             const float* mean_logit, const float* grad_logp, const float* grad_entropy, void* stream);

}  // namespace retort::kernels::cuda
