// Trainer state files (trainer_state.json, optimizer.pt, torch_rng.bin) inside a checkpoint directory.
#include "rl/trainer_state.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cstring>
#include <mutex>

#include "core/errors.h"
#include "rl/checkpoint.h"

namespace fs = std::filesystem;

namespace retort::rl {
namespace {
constexpr int kFormat = 1;
}

void write_trainer_state(const fs::path& dir, const TrainerState& state) {
  nlohmann::json j = {{"format", kFormat},
                      {"step", state.step},
                      {"data_cursor", state.data_cursor},
                      {"rng", state.rng},
                      {"hard_samples", state.hard_samples},
                      {"extra", state.extra}};
  write_file_durably(dir / "optimizer.pt", state.optimizer_bytes);
  write_file_durably(dir / "torch_rng.bin", state.torch_rng_bytes);
  write_file_durably(dir / "trainer_state.json", j.dump(1));
}

TrainerState read_trainer_state(const fs::path& dir) {
  const fs::path json_path = dir / "trainer_state.json";
  TrainerState state;
  try {
    auto j = nlohmann::json::parse(read_file_bytes(json_path));
    if (j.at("format").get<int>() != kFormat)
      throw IoError(json_path.string() + ": trainer state format " + j.at("format").dump() + ", expected " +
                    std::to_string(kFormat));
    state.step = j.at("step").get<int64_t>();
    state.data_cursor = j.at("data_cursor");
    state.rng = j.at("rng").get<std::map<std::string, std::string>>();
    state.hard_samples = j.at("hard_samples");
    state.extra = j.at("extra");
  } catch (const nlohmann::json::exception& e) {
    throw IoError(json_path.string() + ": malformed trainer state (" + e.what() + ")");
  }
  state.optimizer_bytes = read_file_bytes(dir / "optimizer.pt");
  state.torch_rng_bytes = read_file_bytes(dir / "torch_rng.bin");
  return state;
}

std::string torch_cpu_rng_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  at::Tensor state = gen.get_state();
  return std::string(reinterpret_cast<const char*>(state.data_ptr<uint8_t>()), static_cast<size_t>(state.numel()));
}

void set_torch_cpu_rng_state(const std::string& bytes) {
  if (bytes.empty()) return;  // a state saved without torch RNG
  auto state = at::empty({static_cast<int64_t>(bytes.size())}, at::kByte);
  std::memcpy(state.data_ptr<uint8_t>(), bytes.data(), bytes.size());
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  try {
    gen.set_state(state);
  } catch (const c10::Error& e) {
    throw IoError(std::string("torch_rng.bin: not a torch CPU generator state (") + e.what_without_backtrace() + ")");
  }
}

}  // namespace retort::rl
