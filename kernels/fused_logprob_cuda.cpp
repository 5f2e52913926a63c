// Tensor-side wrappers of the fused_logprob CUDA kernels (fused_logprob_tiles.h -> fused_logprob_cuda.h):
// check layouts, pick the current stream and device, pass raw pointers. Empty without RETORT_WITH_CUDA.
#ifdef RETORT_WITH_CUDA
#include <ATen/ATen.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <stdexcept>
#include <string>

#include "kernels/fused_logprob_cuda.h"
#include "kernels/fused_logprob_tiles.h"

namespace retort::kernels::detail {

namespace {

cuda::LogitDtype logit_dtype(const at::Tensor& logits) {
  switch (logits.scalar_type()) {
    case at::kFloat: return cuda::LogitDtype::float32;
    case at::kBFloat16: return cuda::LogitDtype::bfloat16;
    case at::kHalf: return cuda::LogitDtype::float16;
    default:
      throw std::invalid_argument(std::string("fused_logprob (CUDA): logits dtype ") +
                                  c10::toString(logits.scalar_type()) + " is not float32, bfloat16 or float16");
  }
}

// The kernels index rows with a stride and read columns contiguously.
void check_tile(const at::Tensor& logits) {
  if (logits.dim() != 2 || logits.stride(1) != 1)
    throw std::invalid_argument("fused_logprob (CUDA): the logits tile must be 2-d with contiguous rows");
}

void throw_if_failed(const std::string& error) {
  if (!error.empty()) throw std::runtime_error("fused_logprob (CUDA): " + error);
}

}  // namespace

void cuda_update_row_stats(const at::Tensor& logits, int64_t vocab_begin, const at::Tensor& targets, RowStats& stats) {
  check_tile(logits);
  const c10::cuda::CUDAGuard device_guard(logits.device());
  for (at::Tensor* t : {&stats.max, &stats.sum_exp, &stats.sum_exp_logit, &stats.target_logit})
    if (!t->is_contiguous()) *t = t->contiguous();
  const at::Tensor target_ids = targets.contiguous();
  throw_if_failed(launch_update_row_stats(
      logits.data_ptr(), logit_dtype(logits), logits.size(0), logits.size(1), logits.stride(0), vocab_begin,
      target_ids.data_ptr<int64_t>(), stats.max.data_ptr<float>(), stats.sum_exp.data_ptr<float>(),
      stats.sum_exp_logit.data_ptr<float>(), stats.target_logit.data_ptr<float>(),
      c10::cuda::getCurrentCUDAStream(logits.device().index()).stream()));
}

at::Tensor cuda_tile_grad(at::Tensor logits, int64_t vocab_begin, const at::Tensor& targets,
                          const at::Tensor& log_normaliser, const at::Tensor& mean_logit, const at::Tensor& grad_logp,
                          const at::Tensor& grad_entropy) {
  check_tile(logits);
  const c10::cuda::CUDAGuard device_guard(logits.device());
  const at::Tensor target_ids = targets.contiguous(), lse = log_normaliser.contiguous(), mean = mean_logit.contiguous();
  const at::Tensor g_logp = grad_logp.contiguous(), g_entropy = grad_entropy.contiguous();
  throw_if_failed(launch_tile_grad(logits.data_ptr(), logit_dtype(logits), logits.size(0), logits.size(1),
                                   logits.stride(0), vocab_begin, target_ids.data_ptr<int64_t>(), lse.data_ptr<float>(),
                                   mean.data_ptr<float>(), g_logp.data_ptr<float>(), g_entropy.data_ptr<float>(),
                                   c10::cuda::getCurrentCUDAStream(logits.device().index()).stream()));
  return logits;
}

}  // namespace retort::kernels::detail
#endif  // RETORT_WITH_CUDA
