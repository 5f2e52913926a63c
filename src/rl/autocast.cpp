// autocast_wanted and AutocastScope (see autocast.h).
#include "rl/autocast.h"

#include <ATen/autocast_mode.h>

#ifdef RETORT_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace retort::rl {

bool autocast_wanted(const std::string& setting, c10::Device device, c10::ScalarType model_dtype) {
  if (setting == "none") return false;
  if (setting == "bf16") return true;
  if (device.is_cuda()) {
#ifdef RETORT_WITH_CUDA
    return at::cuda::getCurrentDeviceProperties()->major >= 8;  // bf16 tensor cores from Ampere on
#else
    return true;
#endif
  }
  return model_dtype == c10::ScalarType::BFloat16;
}

AutocastScope::AutocastScope(bool enabled, c10::DeviceType device_type) : enabled_(enabled), device_type_(device_type) {
  if (!enabled_) return;
  previous_enabled_ = at::autocast::is_autocast_enabled(device_type_);
  previous_dtype_ = at::autocast::get_autocast_dtype(device_type_);
  at::autocast::set_autocast_enabled(device_type_, true);
  at::autocast::set_autocast_dtype(device_type_, c10::ScalarType::BFloat16);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_enabled(device_type_, previous_enabled_);
  at::autocast::set_autocast_dtype(device_type_, previous_dtype_);
}

}  // namespace retort::rl
