// bf16 autocast for the trainer's forward passes (model.autocast): on a CUDA device that has bf16
// ("auto" or "bf16"), on CPU only when the model itself is bf16 ("auto") or when asked ("bf16");
// fp32 everywhere else. AutocastScope turns it on for one block and restores the previous state.
#pragma once
#include <string>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace retort::rl {

// Whether SETTING ("auto" | "bf16" | "none") means bf16 autocast on DEVICE for a model of MODEL_DTYPE.
bool autocast_wanted(const std::string& setting, c10::Device device, c10::ScalarType model_dtype);

class AutocastScope {
 public:
  AutocastScope(bool enabled, c10::DeviceType device_type);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  c10::DeviceType device_type_;
  bool previous_enabled_ = false;
  c10::ScalarType previous_dtype_ = c10::ScalarType::Float;
};

}  // namespace retort::rl
