// `retort generate`: one rollout from a checkpoint, printed.
#include <cstdio>

#include "cli/commands.h"
#include "core/example.h"
#include "model/checkpoint.h"
#include "rl/prompting.h"
#include "rl/rollout_batch.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"model", "prompt", "smiles", "max-new-tokens", "seed", "temperature", "system"});
  std::string dir = args.require("model");
  Example example;
  example.id = "cli";
  example.task = "generate";
  example.prompt = args.require("prompt");
  if (auto smiles = args.get("smiles")) {
    example.smiles = *smiles;
    example.image = true;
    if (example.prompt.find("<|image|>") == std::string::npos) example.prompt = "<|image|>\nSMILES: " + *smiles + "\n" + example.prompt;
  }
  auto tokenizer = model::Tokenizer::from_file(dir + "/tokenizer.json");
  model::Policy policy = model::load_policy(dir);
  int64_t image_tokens = policy.has_vision() ? policy.vision()->config().num_patches() : 0;
  rl::PromptBuilder prompts(tokenizer,
                            args.get("system").value_or("You are a chemist. Think step by step inside <think></think>, then answer inside <answer></answer>."),
                            image_tokens);
  double temperature = std::stod(args.get("temperature").value_or("0"));
  rollout::SamplingParams sampling{temperature, 0, 1.0, 0.0};
  auto rollouts = rl::sample_rollouts(policy, prompts, {prompts.build(example)}, sampling,
                                      args.get_int("max-new-tokens", 256), static_cast<uint64_t>(args.get_int("seed", 0)));
  std::printf("%s\n", rollouts[0].completion.c_str());
  return 0;
}

}  // namespace

Command generate_command() {
  return {"generate", "one rollout from a checkpoint, printed",
          "usage: retort generate --model DIR --prompt TEXT [--smiles S] [--max-new-tokens N]\n"
          "                       [--temperature T] [--seed N] [--system TEXT]\n"
          "\n"
          "Loads a Hugging Face layout model from DIR and prints one completion (greedy unless\n"
          "--temperature > 0). With --smiles the molecule's picture goes into the prompt.\n",
          run};
}

}  // namespace retort::cli
