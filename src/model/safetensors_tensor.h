// The thin at::Tensor adapter over the byte-level safetensors reader/writer (safetensors.h).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "model/safetensors.h"

namespace retort::model {

// The tensor's bytes copied into an owning CPU tensor of its stored dtype.
// DataError for dtypes LibTorch lacks (unsigned > 8 bits, ...).
at::Tensor read_tensor(const safetensors::File& file, const safetensors::TensorInfo& info);
// Every tensor of PATH by name.
std::map<std::string, at::Tensor> load_safetensors(const std::string& path);
// Writes TENSORS (any device/dtype/layout; copied to contiguous CPU memory) with METADATA.
void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});
safetensors::DType to_safetensors_dtype(at::ScalarType type);

}  // namespace retort::model
