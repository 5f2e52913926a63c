// NCCL backend creation (ProcessGroupNCCL from the wheel's libtorch_cuda.so). Compiled only when the
// build has CUDA and nccl.h (RETORT_WITH_NCCL); otherwise a clear error.
#ifdef RETORT_WITH_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/csrc/distributed/c10d/Backend.hpp>

#include "dist/dist_context.h"
#include "dist/nccl_process_group.h"

namespace retort::dist {

c10::intrusive_ptr<c10d::Backend> make_nccl_process_group(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                          int world_size, int local_rank,
                                                          std::chrono::milliseconds timeout) {
#ifdef RETORT_WITH_NCCL
  try {
    if (local_rank >= c10::cuda::device_count())
      throw DistributedError("dist: LOCAL_RANK " + std::to_string(local_rank) + " but this node has " +
                             std::to_string(c10::cuda::device_count()) + " GPU(s)");
    c10::cuda::set_device(static_cast<c10::DeviceIndex>(local_rank));
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world_size, options);
  } catch (const c10::Error& e) {
    throw DistributedError("dist: NCCL process group (rank " + std::to_string(rank) + " of " + std::to_string(world_size) +
                           "): " + e.what_without_backtrace());
  }
#else
  throw DistributedError("dist: model.device cuda with WORLD_SIZE > 1 needs NCCL, and this retort was built without it "
                         "(configure with CUDA and nccl.h)");
#endif
}

}  // namespace retort::dist
