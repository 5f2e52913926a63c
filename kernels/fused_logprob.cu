// CUDA kernels of fused_logprob's two tile operations (the ATen reference beside them is
// fused_logprob_reference.cpp; the tile GEMMs stay with cuBLAS through at::mm in fused_logprob.cpp).
// Each kernel reads the (rows, cols) logits tile once, one thread block per row, 256 threads
// striding over the columns, so it runs at memory bandwidth where the ATen reference makes five or
// six passes and two tile-sized temporaries.
//
//   update_row_stats: online softmax (Milakov & Gimelshein 2018) extended with sum exp(z - m) * z,
//     from which the entropy follows: H = logsumexp(z) - sum_v p_v z_v.
//   tile_grad: dL/dz = g_logp * (onehot(target) - p) - g_entropy * p * (z - sum_v p_v z_v), in place.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>

#include "kernels/fused_logprob_cuda.h"

namespace retort::kernels::cuda {

namespace {

constexpr int kThreadsPerBlock = 256;  // 8 warps
constexpr int kWarpSize = 32;

__device__ __forceinline__ float to_float(float x) { return x; }
__device__ __forceinline__ float to_float(__nv_bfloat16 x) { return __bfloat162float(x); }
__device__ __forceinline__ float to_float(__half x) { return __half2float(x); }

template <typename T> __device__ __forceinline__ T from_float(float x);
template <> __device__ __forceinline__ float from_float<float>(float x) { return x; }
template <> __device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) { return __float2bfloat16(x); }
template <> __device__ __forceinline__ __half from_float<__half>(float x) { return __float2half(x); }

// Online-softmax state of a set of logits: max m, sum exp(z - m), sum exp(z - m) * z.
struct OnlineSoftmax {
  float max;
  float sum_exp;
  float sum_exp_logit;
};

__device__ __forceinline__ OnlineSoftmax empty_state() { return {-INFINITY, 0.0f, 0.0f}; }

// The state of the union of two sets: rescale both to the larger max and add.
__device__ __forceinline__ OnlineSoftmax merge(OnlineSoftmax a, OnlineSoftmax b) {
  const float m = fmaxf(a.max, b.max);
  if (m == -INFINITY) return empty_state();  // both empty (exp(-inf - -inf) would be NaN)
  const float scale_a = expf(a.max - m), scale_b = expf(b.max - m);
  return {m, a.sum_exp * scale_a + b.sum_exp * scale_b, a.sum_exp_logit * scale_a + b.sum_exp_logit * scale_b};
}

// Adds one logit Z to the state.
__device__ __forceinline__ OnlineSoftmax push(OnlineSoftmax s, float z) {
  if (z == -INFINITY) return s;  // adds nothing (and exp(-inf - -inf) would be NaN)
  if (z > s.max) {  // new maximum: rescale what we have (exp(-inf) = 0 on the first element)
    const float scale = expf(s.max - z);
    return {z, s.sum_exp * scale + 1.0f, s.sum_exp_logit * scale + z};
  }
  const float e = expf(z - s.max);
  return {s.max, s.sum_exp + e, s.sum_exp_logit + e * z};
}

__device__ __forceinline__ OnlineSoftmax warp_merge(OnlineSoftmax s) {
  for (int offset = kWarpSize / 2; offset > 0; offset /= 2) {
    OnlineSoftmax other{__shfl_xor_sync(0xffffffffu, s.max, offset), __shfl_xor_sync(0xffffffffu, s.sum_exp, offset),
                        __shfl_xor_sync(0xffffffffu, s.sum_exp_logit, offset)};
    s = merge(s, other);
  }
  return s;
}

// Every thread's state -> the whole block's state, valid in thread 0.
__device__ OnlineSoftmax block_merge(OnlineSoftmax s) {
  __shared__ OnlineSoftmax per_warp[kThreadsPerBlock / kWarpSize];
  const int lane = threadIdx.x % kWarpSize, warp = threadIdx.x / kWarpSize;
  s = warp_merge(s);
  if (lane == 0) per_warp[warp] = s;
  __syncthreads();
  if (warp == 0) {
    s = lane < kThreadsPerBlock / kWarpSize ? per_warp[lane] : empty_state();
    s = warp_merge(s);
  }
  return s;
}

// One block per row: fold the row's COLS logits into the running statistics of that row.
template <typename T>
__global__ void update_row_stats_kernel(const T* __restrict__ logits, int64_t cols, int64_t leading_dim,
                                        int64_t vocab_begin, const int64_t* __restrict__ targets,
                                        float* __restrict__ row_max, float* __restrict__ row_sum_exp,
                                        float* __restrict__ row_sum_exp_logit, float* __restrict__ target_logit) {
  const int64_t row = blockIdx.x;
  const T* z = logits + row * leading_dim;
  OnlineSoftmax state = empty_state();
  for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) state = push(state, to_float(z[c]));
  state = block_merge(state);
  if (threadIdx.x == 0) {
    const OnlineSoftmax running = merge({row_max[row], row_sum_exp[row], row_sum_exp_logit[row]}, state);
    row_max[row] = running.max;
    row_sum_exp[row] = running.sum_exp;
    row_sum_exp_logit[row] = running.sum_exp_logit;
    const int64_t target_column = targets[row] - vocab_begin;
    if (target_column >= 0 && target_column < cols) target_logit[row] = to_float(z[target_column]);
  }
}

// One block per row: logits -> dL/dlogits in place.
template <typename T>
__global__ void tile_grad_kernel(T* __restrict__ logits, int64_t cols, int64_t leading_dim, int64_t vocab_begin,
                                 const int64_t* __restrict__ targets, const float* __restrict__ log_normaliser,
                                 const float* __restrict__ mean_logit, const float* __restrict__ grad_logp,
                                 const float* __restrict__ grad_entropy) {
  const int64_t row = blockIdx.x;
  T* z = logits + row * leading_dim;
  const float lse = log_normaliser[row], mean = mean_logit[row];
  const float g_logp = grad_logp[row], g_entropy = grad_entropy[row];
  const int64_t target_column = targets[row] - vocab_begin;
  for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) {
    const float logit = to_float(z[c]);
    const float p = expf(logit - lse);
    float grad = -p * (g_logp + g_entropy * (logit - mean));
    if (c == target_column) grad += g_logp;
    z[c] = from_float<T>(grad);
  }
}

std::string last_error(const char* what) {
  const cudaError_t err = cudaGetLastError();
  return err == cudaSuccess ? std::string() : std::string(what) + ": " + cudaGetErrorString(err);
}

}  // namespace

std::string launch_update_row_stats(const void* logits, LogitDtype dtype, int64_t rows, int64_t cols,
                                    int64_t leading_dim, int64_t vocab_begin, const int64_t* targets, float* row_max,
                                    float* row_sum_exp, float* row_sum_exp_logit, float* target_logit, void* stream) {
  if (rows == 0 || cols == 0) return {};
  const dim3 grid(static_cast<unsigned>(rows)), block(kThreadsPerBlock);
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  switch (dtype) {
    case LogitDtype::float32:
      update_row_stats_kernel<<<grid, block, 0, s>>>(static_cast<const float*>(logits), cols, leading_dim, vocab_begin,
                                                     targets, row_max, row_sum_exp, row_sum_exp_logit, target_logit);
      break;
    case LogitDtype::bfloat16:
      update_row_stats_kernel<<<grid, block, 0, s>>>(static_cast<const __nv_bfloat16*>(logits), cols, leading_dim,
                                                     vocab_begin, targets, row_max, row_sum_exp, row_sum_exp_logit,
                                                     target_logit);
      break;
    case LogitDtype::float16:
      update_row_stats_kernel<<<grid, block, 0, s>>>(static_cast<const __half*>(logits), cols, leading_dim,
                                                     vocab_begin, targets, row_max, row_sum_exp, row_sum_exp_logit,
                                                     target_logit);
      break;
  }
  return last_error("update_row_stats_kernel");
}

std::string launch_tile_grad(void* logits, LogitDtype dtype, int64_t rows, int64_t cols, int64_t leading_dim,
                             int64_t vocab_begin, const int64_t* targets, const float* log_normaliser,
                             const float* mean_logit, const float* grad_logp, const float* grad_entropy, void* stream) {
  if (rows == 0 || cols == 0) return {};
  const dim3 grid(static_cast<unsigned>(rows)), block(kThreadsPerBlock);
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  switch (dtype) {
    case LogitDtype::float32:
      tile_grad_kernel<<<grid, block, 0, s>>>(static_cast<float*>(logits), cols, leading_dim, vocab_begin, targets,
                                              log_normaliser, mean_logit, grad_logp, grad_entropy);
      break;
    case LogitDtype::bfloat16:
      tile_grad_kernel<<<grid, block, 0, s>>>(static_cast<__nv_bfloat16*>(logits), cols, leading_dim, vocab_begin,
                                              targets, log_normaliser, mean_logit, grad_logp, grad_entropy);
      break;
    case LogitDtype::float16:
      tile_grad_kernel<<<grid, block, 0, s>>>(static_cast<__half*>(logits), cols, leading_dim, vocab_begin, targets,
                                              log_normaliser, mean_logit, grad_logp, grad_entropy);
      break;
  }
  return last_error("tile_grad_kernel");
}

}  // namespace retort::kernels::cuda
