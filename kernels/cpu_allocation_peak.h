// CpuAllocationPeak: the peak of tensor bytes allocated on the CPU while it is installed, from c10's
// own allocation reports (the hook torch.profiler(profile_memory=True) uses). c10's CPU allocator
// reports every allocation and free to the thread's MemoryReportingInfoBase; this one keeps the
// running total of bytes allocated since it was installed and still alive, and its maximum.
// Memory allocated before installation and freed during it is not subtracted (c10 does not report
// it). BLAS workspaces and allocator slack are not seen. Used by the kernel tests and benches:
//
//   auto peak = std::make_shared<CpuAllocationPeak>();
//   { c10::DebugInfoGuard guard(c10::DebugInfoKind::PROFILER_STATE, peak); ...work... }
//   peak->peak_bytes();
#pragma once
#include <c10/core/Allocator.h>
#include <c10/util/ThreadLocalDebugInfo.h>

#include <atomic>
#include <cstdint>

namespace retort::kernels {

class CpuAllocationPeak : public c10::MemoryReportingInfoBase {
 public:
  void reportMemoryUsage(void* /*ptr*/, int64_t alloc_size, size_t /*total_allocated*/, size_t /*total_reserved*/,
                         c10::Device device) override {
    if (device.type() != c10::DeviceType::CPU) return;
    const int64_t now = current_.fetch_add(alloc_size) + alloc_size;
    int64_t peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
  }
  bool memoryProfilingEnabled() const override { return true; }
  int64_t peak_bytes() const { return peak_.load(); }
  int64_t current_bytes() const { return current_.load(); }

 private:
  std::atomic<int64_t> current_{0}, peak_{0};
};

}  // namespace retort::kernels
