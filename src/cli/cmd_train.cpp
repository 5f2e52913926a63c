// `retort train`: SFT and/or RL training run as the config says; resumes from the run directory.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("train"); }

}  // namespace

Command train_command() {
  return {"train", "SFT and/or RL training run as the config says; resumes from the run directory",
          "usage: retort train CONFIG.json [--set key=value ...]\n"
          "\n"
          "Runs the SFT and/or RL stages of CONFIG.json into runs/NAME/ (config.json, metrics.jsonl,\n"
          "TensorBoard events, samples.jsonl, plots/, checkpoints/). Re-running the same command\n"
          "continues from the last checkpoint.\n"
          "\n"
          "  --set key=value   override a config value (dotted key; value parsed as JSON, else a string)\n",
          run};
}

}  // namespace retort::cli
