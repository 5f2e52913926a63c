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
  args.allow_only({"model", "prompt", "smiles", "max-new-tokens", "seed", "temperature", "system", "tools"});
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
  if (auto names = args.get("tools")) {  // issue 7: tool calls run inside the rollout
    rl::ToolSettings tools;
    tools.enabled = true;
    if (*names != "all")
      for (size_t begin = 0; begin <= names->size();) {
        size_t comma = std::min(names->find(',', begin), names->size());
        std::string name = names->substr(begin, comma - begin);
        if (!rl::default_tool_registry().contains(name)) throw UsageError("--tools: unknown tool '" + name + "' (see retort tools list)");
        tools.names.push_back(name);
        begin = comma + 1;
      }
    prompts.set_tools(tools);
  }
  double temperature = std::stod(args.get("temperature").value_or("0"));
  rollout::SamplingParams sampling{temperature, 0, 1.0, 0.0};
  auto rollouts = rl::sample_rollouts(policy, prompts, {prompts.build(example)}, sampling,
                                      args.get_int("max-new-tokens", 256), static_cast<uint64_t>(args.get_int("seed", 0)));
  // With tools, the whole episode (tool turns included) and one JSON line per call.
  std::printf("%s\n", prompts.tool_settings().enabled ? rollouts[0].transcript.c_str() : rollouts[0].completion.c_str());
  for (const auto& call : rollouts[0].tool_calls)
    std::printf("%s\n", nlohmann::json({{"tool", call.name}, {"arguments", call.arguments}, {"ok", call.ok}}).dump().c_str());
  return 0;
}

}  // namespace

Command generate_command() {
  return {"generate", "one rollout from a checkpoint, printed",
          "usage: retort generate --model DIR --prompt TEXT [--smiles S] [--max-new-tokens N]\n"
          "                       [--temperature T] [--seed N] [--system TEXT] [--tools NAME,NAME|all]\n"
          "\n"
          "Loads a Hugging Face layout model from DIR and prints one completion (greedy unless\n"
          "--temperature > 0). With --smiles the molecule's picture goes into the prompt. With --tools\n"
          "the tools' schemas go into the system prompt, the calls run inside the rollout, and the whole\n"
          "episode is printed followed by one JSON line per call ({\"tool\", \"arguments\", \"ok\"}).\n",
          run};
}

}  // namespace retort::cli
