// Trainer state for exact resume, stored in a checkpoint directory: trainer_state.json (step, data
// cursor, every RngStreams stream, hard-sample statistics, anything else the loop keeps),
// optimizer.pt (AdamW moments, torch serialisation) and torch_rng.bin (torch's CPU generator).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace retort::rl {

struct TrainerState {
  int64_t step = 0;                         // optimiser steps completed
  nlohmann::json data_cursor = nlohmann::json::object();  // where the data order continues (epoch, position, ...)
  std::map<std::string, std::string> rng;   // RngStreams::save()
  nlohmann::json hard_samples = nlohmann::json::object();  // HardSampleMiner::to_json()
  nlohmann::json extra = nlohmann::json::object();  // e.g. hint scaffold, RLPR filter, optimiser counters
  std::string optimizer_bytes;              // PolicyOptimizer::state_bytes()
  std::string torch_rng_bytes;              // torch_cpu_rng_state()
};

// Writes the three files into DIR (a staging directory of CheckpointManager::save).
void write_trainer_state(const std::filesystem::path& dir, const TrainerState& state);
// Reads them back; throws IoError naming the file and the problem (missing, malformed, wrong format).
TrainerState read_trainer_state(const std::filesystem::path& dir);

// torch's default CPU generator state as bytes, and its inverse (dropout/sampling done with torch ops).
std::string torch_cpu_rng_state();
void set_torch_cpu_rng_state(const std::string& bytes);

}  // namespace retort::rl
