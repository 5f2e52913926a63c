// Helpers for the model tests: run the Python reference script, temp dirs, tensor comparisons.
#pragma once
#include <ATen/ATen.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

namespace retort::model::testing {

// Runs `.venv python tests/model/hf_qwen2_reference.py ARGS`; returns its exit code, output in OUT.
inline int run_reference(const std::string& args, std::string& out) {
  std::string cmd = std::string("OMP_NUM_THREADS=1 ") + RETORT_PYTHON + " " + RETORT_SOURCE_DIR +
                    "/tests/model/hf_qwen2_reference.py " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  std::stringstream text;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) text.write(buf, static_cast<std::streamsize>(n));
  out = text.str();
  return pclose(pipe);
}

// A fresh empty directory under the system temp dir.
inline std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("retort_model_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

}  // namespace retort::model::testing
