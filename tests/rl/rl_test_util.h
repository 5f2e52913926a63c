// Helpers shared by the rl tests: tensors as JSON ({"shape": [...], "data": [...]}, float64 or int64).
#pragma once
#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

namespace retort::rl::test {

inline nlohmann::json tensor_to_json(const at::Tensor& t) {
  nlohmann::json j;
  j["shape"] = t.sizes().vec();
  auto flat = t.detach().to(at::kCPU).contiguous().reshape({-1});
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/true)) {
    auto v = flat.to(at::kLong);
    j["dtype"] = "int64";
    j["data"] = std::vector<int64_t>(v.data_ptr<int64_t>(), v.data_ptr<int64_t>() + v.numel());
  } else {
    auto v = flat.to(at::kDouble);
    j["dtype"] = "float64";
    j["data"] = std::vector<double>(v.data_ptr<double>(), v.data_ptr<double>() + v.numel());
  }
  return j;
}

}  // namespace retort::rl::test
