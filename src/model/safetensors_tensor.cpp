// at::Tensor <-> safetensors bytes (see safetensors_tensor.h).
#include "model/safetensors_tensor.h"

#include <ATen/ATen.h>

#include <cstring>

#include "core/errors.h"

namespace retort::model {

namespace {
bool to_scalar_type(safetensors::DType dtype, at::ScalarType& out) {
  using safetensors::DType;
  switch (dtype) {
    case DType::BOOL: out = at::kBool; return true;
    case DType::U8: out = at::kByte; return true;
    case DType::I8: out = at::kChar; return true;
    case DType::I16: out = at::kShort; return true;
    case DType::F16: out = at::kHalf; return true;
    case DType::BF16: out = at::kBFloat16; return true;
    case DType::I32: out = at::kInt; return true;
    case DType::F32: out = at::kFloat; return true;
    case DType::I64: out = at::kLong; return true;
    case DType::F64: out = at::kDouble; return true;
    default: return false;
  }
}
}  // namespace

safetensors::DType to_safetensors_dtype(at::ScalarType type) {
  using safetensors::DType;
  switch (type) {
    case at::kBool: return DType::BOOL;
    case at::kByte: return DType::U8;
    case at::kChar: return DType::I8;
    case at::kShort: return DType::I16;
    case at::kHalf: return DType::F16;
    case at::kBFloat16: return DType::BF16;
    case at::kInt: return DType::I32;
    case at::kFloat: return DType::F32;
    case at::kLong: return DType::I64;
    case at::kDouble: return DType::F64;
    default: throw DataError(std::string("safetensors: cannot store dtype ") + c10::toString(type));
  }
}

at::Tensor read_tensor(const safetensors::File& file, const safetensors::TensorInfo& info) {
  at::ScalarType type;
  if (!to_scalar_type(info.dtype, type))
    throw DataError(file.path() + ": tensor '" + info.name + "': dtype " + safetensors::dtype_name(info.dtype) +
                    " is not supported by LibTorch here");
  at::Tensor out = at::empty(info.shape, at::TensorOptions().dtype(type));
  auto bytes = file.bytes(info);
  if (!bytes.empty()) std::memcpy(out.data_ptr(), bytes.data(), bytes.size());
  return out;
}

std::map<std::string, at::Tensor> load_safetensors(const std::string& path) {
  auto file = safetensors::File::open(path);
  std::map<std::string, at::Tensor> out;
  for (const auto& info : file->header().tensors) out[info.name] = read_tensor(*file, info);
  return out;
}

void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<at::Tensor> keep;  // contiguous CPU copies, alive until written
  std::vector<safetensors::TensorBytes> entries;
  for (const auto& [name, tensor] : tensors) {
    at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
    keep.push_back(t);
    safetensors::TensorBytes e;
    e.name = name;
    e.dtype = to_safetensors_dtype(t.scalar_type());
    e.shape = t.sizes().vec();
    e.bytes = std::span<const uint8_t>(static_cast<const uint8_t*>(t.data_ptr()), t.nbytes());
    entries.push_back(std::move(e));
  }
  safetensors::write_file(path, entries, metadata);
}

}  // namespace retort::model
