// Hugging Face layout checkpoints (see checkpoint.h).
#include "model/checkpoint.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/log.h"
#include "model/safetensors.h"
#include "model/safetensors_tensor.h"

namespace retort::model {

namespace fs = std::filesystem;

namespace {

struct StoredTensor {
  std::shared_ptr<safetensors::File> file;
  const safetensors::TensorInfo* info = nullptr;
};

// name -> (file, entry) over model.safetensors or the shards of model.safetensors.index.json.
std::map<std::string, StoredTensor> open_weights(const fs::path& dir) {
  std::map<std::string, StoredTensor> out;
  auto add_file = [&](const std::shared_ptr<safetensors::File>& file) {
    for (const auto& info : file->header().tensors) {
      if (out.count(info.name)) throw DataError(file->path() + ": tensor '" + info.name + "' appears in two shards");
      out[info.name] = {file, &info};
    }
  };
  const fs::path single = dir / "model.safetensors", index = dir / "model.safetensors.index.json";
  if (fs::exists(single)) {
    add_file(safetensors::File::open(single.string()));
    return out;
  }
  if (!fs::exists(index)) throw IoError(dir.string() + ": neither model.safetensors nor model.safetensors.index.json");
  std::ifstream in(index);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw DataError(index.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw DataError(index.string() + ": no weight_map object");
  std::map<std::string, std::shared_ptr<safetensors::File>> shards;
  std::map<std::string, std::string> expected;  // tensor -> shard
  for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
    if (!it.value().is_string()) throw DataError(index.string() + ": weight_map['" + it.key() + "'] is not a file name");
    const std::string shard = it.value().get<std::string>();
    if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos || shard == "." || shard == "..")
      throw DataError(index.string() + ": weight_map['" + it.key() + "'] = '" + shard + "' is not a plain file name in the checkpoint");
    expected[it.key()] = shard;
    if (!shards.count(shard)) shards[shard] = nullptr;
  }
  for (auto& [name, file] : shards) {
    file = safetensors::File::open((dir / name).string());
    add_file(file);
  }
  for (const auto& [tensor, shard] : expected) {
    auto it = out.find(tensor);
    if (it == out.end() || fs::path(it->second.file->path()).filename() != shard)
      throw DataError(index.string() + ": tensor '" + tensor + "' is listed in " + shard + " but not stored there");
  }
  return out;
}

std::string dtype_config_name(at::ScalarType type) {
  switch (type) {
    case at::kBFloat16: return "bfloat16";
    case at::kHalf: return "float16";
    default: return "float32";
  }
}

// Writes J to PATH; IoError naming the path and the system's reason ("No space left on device").
void write_json(const fs::path& path, const nlohmann::json& j) {
  const std::string text = j.dump(2) + "\n";
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(path.string() + ": cannot open for writing: " + std::strerror(errno ? errno : EIO));
  out << text;
  out.flush();  // the data reach write(2) here, so errno is the failed write's
  if (!out) {
    const int err = errno;
    throw IoError(path.string() + ": write failed" + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
  out.close();
  if (out.fail()) throw IoError(path.string() + ": write failed on close: " + std::strerror(errno ? errno : EIO));
}

}  // namespace

Policy load_policy(const std::string& dir_name, at::Device device, at::ScalarType dtype) {
  const fs::path dir(dir_name);
  Qwen2Config config = Qwen2Config::load((dir / "config.json").string());
  auto stored = open_weights(dir);
  bool has_vision_tensors = false;
  for (const auto& [name, t] : stored) has_vision_tensors |= name.rfind("vision.", 0) == 0;
  if (config.vision && !has_vision_tensors) {
    log::info(dir_name + ": no vision.* tensors; loading as a text-only policy");
    config.vision.reset();
  }
  Policy policy(config);
  std::set<std::string> used;
  {
    at::NoGradGuard no_grad;
    for (auto& [name, target] : policy.checkpoint_tensors()) {
      auto it = stored.find(name);
      if (it == stored.end()) throw DataError(dir_name + ": tensor '" + name + "' is missing from the checkpoint");
      const auto& info = *it->second.info;
      if (info.shape != target.sizes().vec()) {
        std::string want, got;
        for (auto d : target.sizes()) want += std::to_string(d) + ",";
        for (auto d : info.shape) got += std::to_string(d) + ",";
        throw DataError(it->second.file->path() + ": tensor '" + name + "': shape (" + got + ") but the config needs (" + want + ")");
      }
      target.copy_(read_tensor(*it->second.file, info));
      used.insert(name);
    }
  }
  std::vector<std::string> unused;
  for (const auto& [name, t] : stored)
    if (!used.count(name) && !(name == "lm_head.weight" && config.tie_word_embeddings)) unused.push_back(name);
  if (!unused.empty())
    log::warn(dir_name + ": " + std::to_string(unused.size()) + " checkpoint tensor(s) not used, e.g. '" + unused[0] + "'");
  policy.to(device, dtype);
  return policy;
}

void save_policy(const Policy& policy, const std::string& dir_name, const SaveOptions& options) {
  static std::atomic<int> counter{0};
  const fs::path dir = fs::absolute(fs::path(dir_name)).lexically_normal();
  const fs::path parent = dir.parent_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  const std::string suffix = "." + std::to_string(getpid()) + "." + std::to_string(counter++);
  const fs::path tmp = parent / ("." + dir.filename().string() + ".tmp" + suffix);
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec)) throw IoError(tmp.string() + ": cannot create: " + ec.message());
  try {
    const at::ScalarType dtype = options.dtype.value_or(policy.dtype());
    Qwen2Config config = policy.config();
    config.dtype = dtype_config_name(dtype);
    write_json(tmp / "config.json", config.to_json());
    nlohmann::json generation = {{"do_sample", true}};
    if (config.bos_token_id) generation["bos_token_id"] = *config.bos_token_id;
    if (config.eos_token_id) generation["eos_token_id"] = *config.eos_token_id;
    if (config.pad_token_id) generation["pad_token_id"] = *config.pad_token_id;
    write_json(tmp / "generation_config.json", generation);

    std::vector<std::pair<std::string, at::Tensor>> tensors;
    uint64_t total = 0;
    for (auto& [name, t] : policy.checkpoint_tensors()) {
      at::Tensor stored = t.detach().to(at::kCPU, dtype).contiguous();
      total += stored.nbytes();
      tensors.emplace_back(name, stored);
    }
    const std::map<std::string, std::string> metadata = {{"format", "pt"}};
    if (options.max_shard_bytes == 0 || total <= options.max_shard_bytes) {
      save_safetensors((tmp / "model.safetensors").string(), tensors, metadata);
    } else {
      std::vector<std::vector<std::pair<std::string, at::Tensor>>> shards(1);
      uint64_t in_shard = 0;
      for (auto& entry : tensors) {
        if (in_shard > 0 && in_shard + entry.second.nbytes() > options.max_shard_bytes) {
          shards.emplace_back();
          in_shard = 0;
        }
        shards.back().push_back(entry);
        in_shard += entry.second.nbytes();
      }
      nlohmann::json index = {{"metadata", {{"total_size", total}}}, {"weight_map", nlohmann::json::object()}};
      char name[64];
      for (size_t s = 0; s < shards.size(); ++s) {
        std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", s + 1, shards.size());
        save_safetensors((tmp / name).string(), shards[s], metadata);
        for (auto& [tensor, t] : shards[s]) index["weight_map"][tensor] = name;
      }
      write_json(tmp / "model.safetensors.index.json", index);
    }
    if (!options.tokenizer_json.empty()) {
      const fs::path tok(options.tokenizer_json);
      if (!fs::is_regular_file(tok)) throw IoError(options.tokenizer_json + ": no tokenizer file to copy");
      fs::copy_file(tok, tmp / "tokenizer.json");
      fs::path tok_config = options.tokenizer_config_json.empty() ? tok.parent_path() / "tokenizer_config.json"
                                                                  : fs::path(options.tokenizer_config_json);
      if (fs::is_regular_file(tok_config))
        fs::copy_file(tok_config, tmp / "tokenizer_config.json");
      else
        write_json(tmp / "tokenizer_config.json", {{"tokenizer_class", "Qwen2Tokenizer"}, {"model_max_length", config.max_position_embeddings}});
    }
    // Swap into place: the old directory (if any) moves aside first and is removed last.
    const fs::path old = parent / ("." + dir.filename().string() + ".old" + suffix);
    const bool replacing = fs::exists(dir);
    if (replacing) fs::rename(dir, old);
    fs::rename(tmp, dir);
    if (replacing) fs::remove_all(old, ec);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace retort::model
