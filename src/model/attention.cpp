// Grouped-query attention (see attention.h).
#include "model/attention.h"

#include <ATen/ATen.h>

namespace retort::model {

at::Tensor grouped_query_attention(const at::Tensor& queries, const at::Tensor& keys, const at::Tensor& values,
                                   const at::Tensor& mask) {
  const int64_t B = queries.size(0), T = queries.size(1), H = queries.size(2), D = queries.size(3);
  const int64_t KVH = keys.size(1), group = H / KVH;
  // (B, T, KVH, group, D) -> (B, KVH, group * T, D): row g * T + t is query head kv * group + g at t.
  at::Tensor q = queries.view({B, T, KVH, group, D}).permute({0, 2, 3, 1, 4}).reshape({B, KVH, group * T, D});
  at::Tensor m = T == 1 ? mask  // (B, 1, 1, S) broadcasts over the group rows
                        : mask.unsqueeze(2).expand({B, 1, group, T, mask.size(-1)}).reshape({B, 1, group * T, mask.size(-1)});
  at::Tensor out = at::scaled_dot_product_attention(q, keys, values, m);  // (B, KVH, group * T, D)
  return out.reshape({B, KVH, group, T, D}).permute({0, 3, 1, 2, 4}).reshape({B, T, H * D});
}

}  // namespace retort::model
