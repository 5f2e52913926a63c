// Policy checkpoints in Hugging Face layout: config.json, model.safetensors (or shards listed in
// model.safetensors.index.json), tokenizer.json, tokenizer_config.json, generation_config.json.
// Vision weights sit in the same safetensors under "vision."; a checkpoint without them loads as a
// text-only policy. Saving writes a temporary directory and renames it into place.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <ATen/core/Tensor.h>

#include "model/policy.h"

namespace retort::model {

// Loads DIR into a policy on DEVICE in DTYPE. Errors (DataError/ConfigError/IoError) name the file,
// the tensor and the problem: missing or mis-shaped tensors, bad shards, hostile safetensors.
Policy load_policy(const std::string& dir, at::Device device = at::kCPU, at::ScalarType dtype = at::kFloat);

struct SaveOptions {
  // A tokenizer.json file to copy along as tokenizer.json (e.g. a loaded checkpoint's, or
  // src/model/assets/tiny_tokenizer.json); empty: none. TOKENIZER_CONFIG_JSON likewise; when empty,
  // a tokenizer_config.json next to TOKENIZER_JSON is copied, or a minimal one is written.
  std::string tokenizer_json;
  std::string tokenizer_config_json;
  // Stored dtype of the weights; unset = the policy's dtype.
  std::optional<at::ScalarType> dtype;
  // Split into model-0000i-of-0000n.safetensors + index when the weights exceed this (0 = never).
  uint64_t max_shard_bytes = 0;
};

// Writes POLICY to DIR (replaced atomically if it exists).
void save_policy(const Policy& policy, const std::string& dir, const SaveOptions& options = {});

}  // namespace retort::model
