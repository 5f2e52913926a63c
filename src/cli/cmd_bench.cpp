// `retort bench`: run a benchmark; prints one JSON line.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("bench"); }

}  // namespace

Command bench_command() {
  return {"bench", "run a benchmark; prints one JSON line",
          "usage: retort bench NAME\n"
          "\n"
          "Runs benchmark NAME and prints one JSON line with its figures and ratios.\n",
          run};
}

}  // namespace retort::cli
