// Creation of a c10d NCCL backend (process_group_nccl.cpp), kept apart because its headers pull in
// the CUDA runtime. Internal to src/dist.
#pragma once
#include <chrono>

#include <c10/util/intrusive_ptr.h>

namespace c10d {
class Store;
class Backend;
}  // namespace c10d

namespace retort::dist {

// Binds this process to GPU LOCAL_RANK and returns an NCCL backend for RANK of WORLD_SIZE over STORE.
// Throws DistributedError in a build without NCCL (no CUDA or no nccl.h at configure time).
c10::intrusive_ptr<c10d::Backend> make_nccl_process_group(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                          int world_size, int local_rank,
                                                          std::chrono::milliseconds timeout);

}  // namespace retort::dist
