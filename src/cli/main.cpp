// retort: entry point. Dispatches to a subcommand; any error becomes one line on stderr and exit 1
// (usage errors exit 2), never a crash with a stack of library text.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

const char* kOverview =
    "retort: reinforcement learning from verifiable rewards for chemistry and medicine.\n"
    "\n"
    "usage: retort COMMAND [ARGS...]     (retort COMMAND --help for details)\n"
    "\n"
    "commands:\n";

std::vector<retort::cli::Command> all_commands() {
  using namespace retort::cli;
  return {train_command(), eval_command(),  generate_command(), score_command(), tools_command(),
          oracle_command(), al_command(),    data_command(),     bench_command()};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto commands = all_commands();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::printf("%s", kOverview);
    for (const auto& c : commands) std::printf("  %-10s %s\n", c.name.c_str(), c.summary.c_str());
    return args.empty() ? 2 : 0;
  }
  for (const auto& c : commands) {
    if (c.name != args[0]) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest) {
      if (a == "--help" || a == "-h") {
        std::printf("%s", c.usage.c_str());
        return 0;
      }
    }
    try {
      return c.run(rest);
    } catch (const retort::cli::UsageError& e) {
      std::fprintf(stderr, "retort %s: %s (see retort %s --help)\n", c.name.c_str(), e.what(), c.name.c_str());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "retort %s: %s\n", c.name.c_str(), e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "retort: unknown command '%s' (see retort --help)\n", args[0].c_str());
  return 2;
}
