// Per-layer KV cache with per-sequence lengths (see kv_cache.h).
#include "model/kv_cache.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

#include "core/errors.h"

namespace retort::model {

using at::indexing::Slice;

KvCache::KvCache(const Qwen2Config& config, int64_t batch, int64_t capacity, at::Device device, at::ScalarType dtype)
    : batch_(batch), capacity_(capacity), length_(batch, 0), next_position_(batch, 0) {
  if (batch <= 0 || capacity <= 0) throw DataError("KvCache: batch and capacity must be positive");
  auto options = at::TensorOptions().device(device).dtype(dtype);
  for (int64_t l = 0; l < config.num_hidden_layers; ++l) {
    keys_.push_back(at::zeros({batch, config.num_key_value_heads, capacity + 1, config.head_dim}, options));
    values_.push_back(at::zeros({batch, config.num_key_value_heads, capacity + 1, config.head_dim}, options));
  }
  valid_ = at::zeros({batch, capacity + 1}, at::TensorOptions().device(device).dtype(at::kBool));
}

void KvCache::reset() {
  std::fill(length_.begin(), length_.end(), 0);
  std::fill(next_position_.begin(), next_position_.end(), 0);
  valid_.zero_();
}

KvChunk KvCache::begin_chunk(const at::Tensor& token_mask, int64_t row_begin, std::vector<char> advance) const {
  KvChunk chunk;
  chunk.rows = token_mask.size(0);
  chunk.tokens = token_mask.size(1);
  chunk.row_begin = row_begin;
  if (row_begin < 0 || row_begin + chunk.rows > batch_)
    throw DataError("KvCache: rows [" + std::to_string(row_begin) + ", " + std::to_string(row_begin + chunk.rows) +
                    ") outside a batch of " + std::to_string(batch_));
  chunk.advance = advance.empty() ? std::vector<char>(chunk.rows, 1) : std::move(advance);
  const auto device = valid_.device();
  std::vector<int64_t> starts(chunk.rows), positions(chunk.rows);
  int64_t max_end = 0;
  for (int64_t r = 0; r < chunk.rows; ++r) {
    const int64_t b = row_begin + r;
    starts[r] = length_[b];
    positions[r] = next_position_[b];
    const int64_t limit = chunk.advance[r] ? capacity_ : capacity_ + 1;
    if (length_[b] + chunk.tokens > limit)
      throw DataError("KvCache: sequence " + std::to_string(b) + " needs " + std::to_string(length_[b] + chunk.tokens) +
                      " slots but the cache holds " + std::to_string(capacity_));
    max_end = std::max(max_end, length_[b] + chunk.tokens);
  }
  chunk.uniform = std::all_of(starts.begin(), starts.end(), [&](int64_t s) { return s == starts[0]; });
  chunk.uniform_start = starts[0];
  chunk.span = max_end;
  auto long_options = at::TensorOptions().dtype(at::kLong);
  chunk.starts = at::tensor(starts, long_options).to(device);
  chunk.token_mask = token_mask.to(device, at::kBool);

  // Positions continue each row's count of real tokens: next_position + (cumsum(mask) - 1).
  at::Tensor base = at::tensor(positions, long_options).to(device).unsqueeze(1);
  chunk.positions = (base + chunk.token_mask.to(at::kLong).cumsum(1) - 1).clamp_min(0);

  // Slots a query may see: earlier valid slots, this chunk's real tokens up to itself, and itself.
  at::Tensor offsets = at::arange(chunk.tokens, long_options.device(device));
  at::Tensor query_slots = chunk.starts.unsqueeze(1) + offsets.unsqueeze(0);  // (rows, T)
  at::Tensor slot_valid = valid_.narrow(0, row_begin, chunk.rows).narrow(1, 0, chunk.span).clone();
  slot_valid.scatter_(1, query_slots, chunk.token_mask);
  at::Tensor key_slots = at::arange(chunk.span, long_options.device(device));  // (S,)
  at::Tensor q = query_slots.unsqueeze(-1);                                      // (rows, T, 1)
  at::Tensor allowed = (slot_valid.unsqueeze(1) & key_slots.le(q)) | key_slots.eq(q);  // (rows, T, S)
  chunk.attention_mask = allowed.unsqueeze(1);
  return chunk;
}

std::pair<at::Tensor, at::Tensor> KvCache::write(int64_t layer, const KvChunk& chunk, const at::Tensor& keys,
                                                 const at::Tensor& values) {
  at::Tensor k_rows = keys_[layer].narrow(0, chunk.row_begin, chunk.rows);
  at::Tensor v_rows = values_[layer].narrow(0, chunk.row_begin, chunk.rows);
  if (chunk.uniform) {
    k_rows.narrow(2, chunk.uniform_start, chunk.tokens).copy_(keys.transpose(1, 2));
    v_rows.narrow(2, chunk.uniform_start, chunk.tokens).copy_(values.transpose(1, 2));
  } else {
    at::Tensor row_index = at::arange(chunk.rows, chunk.starts.options()).unsqueeze(1);  // (rows, 1)
    at::Tensor slot_index = chunk.starts.unsqueeze(1) + at::arange(chunk.tokens, chunk.starts.options());
    // Advanced indices around a slice: the indexed view is (rows, T, kv_heads, head_dim), as KEYS.
    k_rows.index_put_({row_index, Slice(), slot_index}, keys);
    v_rows.index_put_({row_index, Slice(), slot_index}, values);
  }
  return {k_rows.narrow(2, 0, chunk.span), v_rows.narrow(2, 0, chunk.span)};
}

void KvCache::commit(const KvChunk& chunk) {
  at::Tensor real_counts = chunk.token_mask.sum(1).to(at::kCPU);
  const int64_t* counts = real_counts.data_ptr<int64_t>();
  const bool all_advance = std::all_of(chunk.advance.begin(), chunk.advance.end(), [](char a) { return a != 0; });
  if (chunk.uniform && all_advance) {  // the common case: one copy for the whole chunk
    valid_.narrow(0, chunk.row_begin, chunk.rows).narrow(1, chunk.uniform_start, chunk.tokens).copy_(chunk.token_mask);
    for (int64_t r = 0; r < chunk.rows; ++r) {
      length_[chunk.row_begin + r] += chunk.tokens;
      next_position_[chunk.row_begin + r] += counts[r];
    }
    return;
  }
  for (int64_t r = 0; r < chunk.rows; ++r) {
    if (!chunk.advance[r]) continue;
    const int64_t b = chunk.row_begin + r;
    valid_[b].narrow(0, length_[b], chunk.tokens).copy_(chunk.token_mask[r]);
    length_[b] += chunk.tokens;
    next_position_[b] += counts[r];
  }
}

}  // namespace retort::model
