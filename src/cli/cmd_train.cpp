// `retort train`: SFT and/or RL training run as the config says; resumes from the run directory.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/stage_table.h"
#include "core/config.h"
#include "core/config_key_log.h"
#include "core/errors.h"
#include "core/log.h"
#include "dist/dist_context.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace retort::cli {
namespace {

using retort::ConfigKeyRead;

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"set"});
  if (args.positionals().size() != 1) throw UsageError("expected exactly one CONFIG.json");
  auto start = std::chrono::steady_clock::now();
  Config config = Config::load(args.positionals()[0]);
  for (const auto& assignment : args.all("set")) config.apply_override(assignment);
  rl::TrainConfig train = rl::TrainConfig::from(config);
  config.check_all_used();
  // torchrun / scripts/launch: WORLD_SIZE > 1 joins a c10d process group (docs/distributed.md).
  auto launch = dist::launch_environment_from_process();
  if (launch.world_size > 1 && train.sft.steps > 0 && train.sft.batch_size < launch.world_size)
    throw ConfigError("sft.batch_size " + std::to_string(train.sft.batch_size) + " is below WORLD_SIZE " +
                      std::to_string(launch.world_size) + ": every rank needs at least one row per SFT step");
  if (launch.rank > 0 && std::getenv("RETORT_LOG") == nullptr) log::set_level(log::Level::warn);  // rank 0 narrates
  at::Device device = train.model.device == "cuda" ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(launch.local_rank))
                                                   : at::Device(at::kCPU);
  dist::set_world(dist::DistContext(launch, device));
  rl::Trainer trainer(train, config.root());
  nlohmann::json stages = trainer.run();
  dist::world().barrier();
  if (!dist::world().is_main()) return 0;  // rank 0 writes the summary
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json summary = {{"stages", stages}, {"seconds", seconds}};
  std::ofstream(train.run_dir + "/summary.json") << summary.dump(2) << "\n";
  std::printf("\n%s\n", format_stage_table(stages).c_str());
  if (std::string line = main_metric_line(stages); !line.empty()) std::printf("%s\n", line.c_str());
  std::printf("run: %s  (metrics.jsonl, plots/, checkpoints/, summary.json)\n", train.run_dir.c_str());
  return 0;
}

// Sections read through rl/train_config.cpp's feature switch: absent = off, true/false, or an object
// of settings that is on unless it says "enabled": false. The listing turns them on to read their keys.
const std::set<std::string> kFeatureSections = {"rl.hard_sample_mining", "rl.hints"};

std::string number_text(double v, bool integer) {
  return integer ? std::to_string(static_cast<long long>(v)) : nlohmann::json(v).dump();
}

std::string describe(const ConfigKeyRead& r) {
  const std::string section = r.key.substr(0, r.key.rfind('.'));
  if (kFeatureSections.count(section) && r.key.ends_with(".enabled"))
    return "boolean; " + section + " absent = off, true/false, or an object of the settings below (on unless \"enabled\": false)";
  std::string d = r.type;
  if (!r.allowed.empty()) {
    d = "one of";
    for (const auto& a : r.allowed) d += (&a == &r.allowed.front() ? " " : " | ") + (a.empty() ? std::string("\"\"") : a);
  }
  const bool integer = r.type == "integer";
  if (r.min && r.max) d += " in [" + number_text(*r.min, integer) + ", " + number_text(*r.max, integer) + "]";
  else if (r.min) d += " >= " + number_text(*r.min, integer);
  else if (r.max) d += " <= " + number_text(*r.max, integer);
  if (r.required) return d + ", required";
  return d + " (default " + r.fallback.dump() + ")";
}

// The keys TrainConfig::from reads for a minimal config with every feature section on.
std::vector<ConfigKeyRead> train_config_keys() {
  nlohmann::json sample = {{"name", "NAME"}, {"data", {{"train", "TRAIN.jsonl"}}}, {"sft", {{"steps", 1}}}, {"rl", nlohmann::json::object()}};
  for (const auto& section : kFeatureSections) sample["rl"][section.substr(3)] = nlohmann::json::object();
  Config config = Config::from_json(sample, "listing");
  ConfigKeyLog log;
  (void)rl::TrainConfig::from(config);
  return log.reads();
}

// One line per key: name, then type, bounds and default.
std::string train_config_keys_help() {
  std::vector<ConfigKeyRead> keys;
  try {
    keys = train_config_keys();
  } catch (const std::exception& e) {
    return std::string("  (the key list is unavailable: ") + e.what() + ")\n";
  }
  size_t width = 0;
  for (const auto& k : keys) width = std::max(width, k.key.size());
  std::string out;
  for (const auto& k : keys) out += "  " + k.key + std::string(width + 2 - k.key.size(), ' ') + describe(k) + "\n";
  return out;
}

}  // namespace

Command train_command() {
  return {"train", "SFT and/or RL training run as the config says; resumes from the run directory",
          "usage: retort train CONFIG.json [--set key=value ...]\n"
          "\n"
          "Runs the SFT and/or RL stages of CONFIG.json into runs/NAME/ (config.json, metrics.jsonl,\n"
          "TensorBoard events, samples.jsonl, plots/, checkpoints/, summary.json). Re-running the same\n"
          "command continues from the last checkpoint. Evaluates on data.eval before SFT, after SFT and\n"
          "after RL and prints a table of the three stages.\n"
          "\n"
          "  --set key=value   override a config value (dotted key; value parsed as JSON, else a string)\n"
          "\n"
          "Data-parallel: `torchrun --nproc-per-node N --no-python retort train CONFIG.json` (or scripts/launch N\n"
          "retort train CONFIG.json) runs N ranks (Gloo on CPU, NCCL with model.device cuda); each takes its share\n"
          "of every batch's prompts, gradients are all-reduced, rank 0 writes the run directory (docs/distributed.md).\n"
          "\n"
          "Config keys: every key the loader (src/rl/train_config.cpp) reads, listed from its own reads, with type,\n"
          "bounds and default; any other key is an error. model.tiny: tiny-architecture overrides (hidden_size,\n"
          "num_hidden_layers, ...); reward: a RewardSpec (src/core/reward_spec.h); eval.max_new_tokens defaults to\n"
          "rl.max_new_tokens; effects of the rl keys: src/rl/README.md.\n" +
              train_config_keys_help(),
          run};
}

}  // namespace retort::cli
