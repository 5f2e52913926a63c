// DistContext: this process's place in a data-parallel job (rank, world size) and the collectives the
// trainer needs: bucketed all-reduce of tensor lists (sum/mean), broadcast, barrier, all-gather of
// doubles and strings. World size 1 has no process group: every call is a no-op (or an identity).
// dist::world() is the process-wide context (`retort train` initialises it from the torchrun
// environment); until then it is the single-process one.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "dist/launch_environment.h"

namespace retort::dist {

struct DistributedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class ReduceOp { sum, mean };

class CollectiveBackend;

class DistContext {
 public:
  static constexpr int64_t kDefaultBucketBytes = 25 << 20;  // as DistributedDataParallel's bucket_cap_mb=25

  DistContext();  // one process, no process group
  // World size 1: no process group. Otherwise a c10d group over TCPStore: Gloo when DEVICE is CPU,
  // NCCL when it is CUDA (the rank's GPU is LOCAL_RANK).
  DistContext(const LaunchEnvironment& env, at::Device device);
  ~DistContext();
  DistContext(DistContext&&) noexcept;
  DistContext& operator=(DistContext&&) noexcept;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }
  int local_rank() const { return env_.local_rank; }
  bool is_main() const { return env_.rank == 0; }
  bool distributed() const { return env_.world_size > 1; }
  std::string backend_name() const;  // "none" | "gloo" | "nccl"

  // This rank's contiguous slice [begin, end) of COUNT items: count*rank/world .. count*(rank+1)/world.
  std::pair<int64_t, int64_t> shard(int64_t count) const;

  // In place on every rank: each tensor becomes the sum (or mean) over ranks. Tensors are flattened
  // into buckets of at most BUCKET_BYTES (one tensor larger than that is a bucket alone), one
  // collective per bucket. All ranks must pass the same shapes and dtypes in the same order.
  void all_reduce(std::vector<at::Tensor>& tensors, ReduceOp op, int64_t bucket_bytes = kDefaultBucketBytes);
  double all_reduce(double value, ReduceOp op);
  void broadcast(std::vector<at::Tensor>& tensors, int root = 0);  // in place, bucketed like all_reduce
  void barrier();
  // Every rank's VALUES (the same length on every rank), concatenated in rank order.
  std::vector<double> all_gather(const std::vector<double>& values);
  // Every rank's TEXT (any lengths), in rank order.
  std::vector<std::string> all_gather(const std::string& text);

  int64_t collectives_issued() const { return collectives_; }  // for tests: how many buckets went out

 private:
  template <typename Collective>
  void bucketed(std::vector<at::Tensor>& tensors, int64_t bucket_bytes, Collective&& collective);

  LaunchEnvironment env_;
  std::unique_ptr<CollectiveBackend> backend_;
  int64_t collectives_ = 0;
};

// The process-wide context (single process until set_world is called).
DistContext& world();
void set_world(DistContext context);

}  // namespace retort::dist
