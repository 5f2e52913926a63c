// `retort generate`: one rollout, tools included, printed.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("generate"); }

}  // namespace

Command generate_command() {
  return {"generate", "one rollout, tools included, printed",
          "usage: retort generate --model DIR --prompt TEXT [--smiles S] [--max-new-tokens N] [--seed N]\n"
          "\n"
          "Loads a Hugging Face layout model from DIR and prints one rollout (tool calls included).\n",
          run};
}

}  // namespace retort::cli
