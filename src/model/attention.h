// Grouped-query attention through at::scaled_dot_product_attention without copying keys/values per
// query head: the query heads that share a key/value head are folded into the query-length axis.
#pragma once
#include <ATen/core/Tensor.h>

namespace retort::model {

// queries (B, T, H, D); keys, values (B, KVH, S, D) with H a multiple of KVH (HF's head order:
// query head h uses key/value head h / (H / KVH)); mask (B, 1, T, S) bool, true = attend.
// Returns (B, T, H * D). Scale 1/sqrt(D), as Qwen2.
at::Tensor grouped_query_attention(const at::Tensor& queries, const at::Tensor& keys, const at::Tensor& values,
                                   const at::Tensor& mask);

}  // namespace retort::model
