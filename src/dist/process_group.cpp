// The one file that sees c10d: TCPStore rendezvous and a Gloo (CPU) or NCCL (CUDA) backend behind
// CollectiveBackend. The Gloo declarations come from Debian's libgloo-dev (the wheel ships none); the
// code that runs is the wheel's libtorch_cpu.so. NCCL creation lives in process_group_nccl.cpp.
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef RETORT_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif

#include <cstdlib>

#include "core/log.h"
#include "dist/collective_backend.h"
#include "dist/dist_context.h"
#include "dist/nccl_process_group.h"

namespace retort::dist {
namespace {

class C10dCollectives final : public CollectiveBackend {
 public:
  C10dCollectives(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::Backend> backend, at::Device device,
                  const char* name)
      : store_(std::move(store)), backend_(std::move(backend)), device_(device), name_(name) {}

  void all_reduce_sum(at::Tensor& tensor) override {
    std::vector<at::Tensor> tensors{tensor};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    run("all_reduce", [&] { return backend_->allreduce(tensors, options); });
  }
  void broadcast(at::Tensor& tensor, int root) override {
    std::vector<at::Tensor> tensors{tensor};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    run("broadcast", [&] { return backend_->broadcast(tensors, options); });
  }
  std::vector<at::Tensor> all_gather(const at::Tensor& tensor) override {
    std::vector<at::Tensor> inputs{tensor.contiguous()};
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int r = 0; r < backend_->getSize(); ++r) outputs[0].push_back(at::empty_like(inputs[0]));
    run("all_gather", [&] { return backend_->allgather(outputs, inputs); });
    return outputs[0];
  }
  void barrier() override {
    run("barrier", [&] { return backend_->barrier(); });
  }
  at::Device device() const override { return device_; }
  const char* name() const override { return name_; }

 private:
  template <typename Start>
  void run(const char* what, Start&& start) {
    try {
      start()->wait();
    } catch (const c10::Error& e) {
      throw DistributedError(std::string("dist ") + name_ + " " + what + " failed (a rank died or timed out?): " +
                             e.what_without_backtrace());
    }
  }

  c10::intrusive_ptr<c10d::Store> store_;  // keeps the TCPStore connection for the group's lifetime
  c10::intrusive_ptr<c10d::Backend> backend_;
  at::Device device_;
  const char* name_;
};

bool is_loopback(const std::string& address) {
  return address == "127.0.0.1" || address == "localhost" || address == "::1";
}

}  // namespace

std::unique_ptr<CollectiveBackend> make_process_group(const LaunchEnvironment& env, at::Device device) {
  c10::intrusive_ptr<c10d::Store> store;
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(env.master_port);
    options.isServer = !env.use_agent_store && env.rank == 0;
    if (options.isServer) options.numWorkers = env.world_size;
    options.waitWorkers = false;
    options.timeout = env.timeout;
    store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, options);
    if (env.use_agent_store)  // as torch.distributed.rendezvous under torchrun
      store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::to_string(env.restart_count), store);
    store = c10::make_intrusive<c10d::PrefixStore>("retort/", store);
  } catch (const c10::Error& e) {
    throw DistributedError("dist: rendezvous at " + env.master_addr + ":" + std::to_string(env.master_port) + " (rank " +
                           std::to_string(env.rank) + " of " + std::to_string(env.world_size) +
                           ") failed: " + e.what_without_backtrace());
  }
  if (device.is_cuda()) {
    auto backend = make_nccl_process_group(store, env.rank, env.world_size, env.local_rank, env.timeout);
    log::info("dist: rank " + std::to_string(env.rank) + " of " + std::to_string(env.world_size) + " on NCCL, GPU " +
              std::to_string(env.local_rank));
    return std::make_unique<C10dCollectives>(store, backend, at::Device(at::kCUDA, env.local_rank), "nccl");
  }
#ifdef RETORT_WITH_GLOO
  try {
    auto options = c10d::ProcessGroupGloo::Options::create_default(env.timeout);
    const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
    if ((interface == nullptr || *interface == '\0') && is_loopback(env.master_addr))
      options->devices = {c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")};  // one-host job
    options->timeout = env.timeout;
    auto backend = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.world_size, options);
    log::info("dist: rank " + std::to_string(env.rank) + " of " + std::to_string(env.world_size) + " on Gloo (CPU)");
    return std::make_unique<C10dCollectives>(store, backend, at::Device(at::kCPU), "gloo");
  } catch (const c10::Error& e) {
    throw DistributedError("dist: Gloo process group (rank " + std::to_string(env.rank) + " of " +
                           std::to_string(env.world_size) + "): " + e.what_without_backtrace());
  }
#else
  throw DistributedError("dist: WORLD_SIZE > 1 on CPU needs Gloo, and this retort was built without the gloo headers "
                         "(apt-get install libgloo-dev, then reconfigure)");
#endif
}

}  // namespace retort::dist
