// Per-token log-prob of a target id and entropy of the next-token distribution, straight from the
// final hidden states and the LM head weight, without ever holding the (N, V) logits:
//
//   z = hidden @ weight^T                     (N, V)  never materialised; built tile by tile
//   logp[n]    = z[n, target[n]] - logsumexp(z[n])
//   entropy[n] = logsumexp(z[n]) - sum_v softmax(z[n])_v z[n, v]
//
// fused_logprob walks (row_chunk, vocab_chunk) tiles with an online log-sum-exp (Milakov &
// Gimelshein, "Online normalizer calculation for softmax", 2018) and is differentiable: its backward
// recomputes each tile and accumulates the gradients of hidden (N, H) and weight (V, H), so peak
// memory is the tile plus those gradients. CUDA tensors use the kernels in fused_logprob.cu for the
// per-tile statistics and gradients (cuBLAS for the tile GEMMs); every other device uses the chunked
// ATen reference in fused_logprob_reference.cpp. plain_logprob is the full log_softmax path the
// fused one is tested against.
#pragma once
#include <cstdint>

#include <ATen/core/Tensor.h>

namespace retort::kernels {

struct LogprobsAndEntropy {
  at::Tensor logp;     // (N,) fp32
  at::Tensor entropy;  // (N,) fp32
};

struct FusedLogprobOptions {
  int64_t row_chunk = 1024;    // rows of hidden per tile (CPU); the CUDA path takes up to 4x this
  int64_t vocab_chunk = 8192;  // rows of weight (vocabulary entries) per tile
};

// hidden (N, H) and weight (V, H) of one floating dtype on one device, targets (N,) int64 in [0, V).
// Differentiable w.r.t. hidden and weight (whichever requires grad). Under autocast (enabled for
// hidden's device type) both are first cast to the autocast dtype, as autocast casts linear's
// operands, so the result matches plain_logprob under the same autocast. Throws std::invalid_argument
// with a one-line reason on bad shapes, dtypes, devices or target ids.
LogprobsAndEntropy fused_logprob(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                                 const FusedLogprobOptions& options = {});

// The plain path: logits = hidden @ weight^T in the input dtype, cast to fp32, log_softmax over the
// whole (N, V), gather, entropy = -sum p log p. Same inputs and outputs as fused_logprob.
LogprobsAndEntropy plain_logprob(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets);

}  // namespace retort::kernels
