// `retort data`: task files from the shipped sources.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("data"); }

}  // namespace

Command data_command() {
  return {"data", "task files from the shipped sources",
          "usage: retort data build --task NAME --out DIR [--seed N]\n"
          "\n"
          "Builds task JSONL (train/valid/test by Bemis-Murcko scaffold) from datasets/.\n",
          run};
}

}  // namespace retort::cli
