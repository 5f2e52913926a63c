// Per-layer key/value cache for batched decoding: preallocated (B, kv_heads, capacity, head_dim)
// tensors per layer, a per-sequence length (slots used) and next RoPE position, and a slot-validity
// mask (padding slots are never attended). Sequences advance independently, so one sequence can be
// paused, extended with a tool response and resumed while the others wait.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "model/qwen2_config.h"

namespace retort::model {

// One forward chunk against the cache: rows [row_begin, row_begin + rows) each get T new slots
// starting at their own length. Built by KvCache::begin_chunk, consumed by write and commit.
struct KvChunk {
  int64_t row_begin = 0, rows = 0, tokens = 0;  // tokens = T
  int64_t span = 0;                             // S: key slots attended, max(length) + T
  bool uniform = true;                          // every row starts at the same slot
  int64_t uniform_start = 0;
  at::Tensor starts;         // (rows,) int64: first slot per row
  at::Tensor positions;      // (rows, T) int64 RoPE positions
  at::Tensor attention_mask; // (rows, 1, T, S) bool, true = may attend
  at::Tensor token_mask;     // (rows, T) bool, false = padding
  std::vector<char> advance; // per row: commit advances it (false: an idle row, nothing is kept)
};

class KvCache {
 public:
  // CAPACITY slots per sequence (prompt + generated + appended tokens); DTYPE of keys/values.
  KvCache(const Qwen2Config& config, int64_t batch, int64_t capacity, at::Device device, at::ScalarType dtype);

  int64_t batch() const { return batch_; }
  int64_t capacity() const { return capacity_; }
  int64_t length(int64_t row) const { return length_[row]; }
  int64_t next_position(int64_t row) const { return next_position_[row]; }
  // Forgets everything (lengths 0, no valid slot); keeps the allocation.
  void reset();

  // Plans a chunk of T tokens for ROWS rows from ROW_BEGIN. TOKEN_MASK (rows, T) marks real tokens
  // (padding slots are written but never attended). ADVANCE (empty = all) marks rows whose slots
  // are kept by commit(); idle rows (paused/finished) compute on scratch slots and keep nothing.
  // Throws DataError when an advancing row would pass the capacity.
  KvChunk begin_chunk(const at::Tensor& token_mask, int64_t row_begin, std::vector<char> advance = {}) const;
  // Stores layer LAYER's keys/values (rows, T, kv_heads, head_dim) for the chunk and returns the
  // cached keys/values to attend over, each (rows, kv_heads, S, head_dim).
  std::pair<at::Tensor, at::Tensor> write(int64_t layer, const KvChunk& chunk, const at::Tensor& keys,
                                          const at::Tensor& values);
  // Marks the chunk's real tokens valid and advances lengths/positions of advancing rows.
  void commit(const KvChunk& chunk);

 private:
  int64_t batch_, capacity_;
  std::vector<at::Tensor> keys_, values_;  // per layer (B, kv_heads, capacity + 1, head_dim); +1 scratch slot
  at::Tensor valid_;                       // (B, capacity + 1) bool
  std::vector<int64_t> length_, next_position_;
};

}  // namespace retort::model
