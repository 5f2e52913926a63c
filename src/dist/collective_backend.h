// The few collectives DistContext needs, as an interface: process_group.cpp implements it over a c10d
// backend (Gloo or NCCL), so no other file sees a c10d header. Internal to src/dist.
#pragma once
#include <memory>
#include <vector>

#include <ATen/ATen.h>

#include "dist/launch_environment.h"

namespace retort::dist {

class CollectiveBackend {
 public:
  virtual ~CollectiveBackend() = default;
  virtual void all_reduce_sum(at::Tensor& tensor) = 0;                  // in place, every rank gets the sum
  virtual void broadcast(at::Tensor& tensor, int root) = 0;             // in place from ROOT
  virtual std::vector<at::Tensor> all_gather(const at::Tensor& tensor) = 0;  // same shape on every rank; rank order
  virtual void barrier() = 0;
  virtual at::Device device() const = 0;  // where collective tensors must live
  virtual const char* name() const = 0;   // "gloo" | "nccl"
};

// Rendezvous through a c10d TCPStore on MASTER_ADDR:MASTER_PORT, then a Gloo process group (DEVICE on
// CPU) or an NCCL one (CUDA; this rank's GPU is LOCAL_RANK). Throws DistributedError when the build
// lacks the backend or the rendezvous fails.
std::unique_ptr<CollectiveBackend> make_process_group(const LaunchEnvironment& env, at::Device device);

}  // namespace retort::dist
