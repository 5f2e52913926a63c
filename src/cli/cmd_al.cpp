// `retort al`: the molecule-generation active-learning loop.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("al"); }

}  // namespace

Command al_command() {
  return {"al", "the molecule-generation active-learning loop",
          "usage: retort al CONFIG.json [--set key=value ...]\n"
          "\n"
          "Rounds of generate -> filter -> oracle -> fine-tune; resumable from the run directory.\n",
          run};
}

}  // namespace retort::cli
