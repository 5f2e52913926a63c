// The subcommands of `retort` (DESIGN.md's command-line contract). Each lives in cmd_<name>.cpp with
// its own help text; main.cpp only dispatches.
#pragma once
#include <string>
#include <vector>

#include "cli/args.h"

namespace retort::cli {

struct Command {
  std::string name;
  std::string summary;  // one line for `retort --help`
  std::string usage;    // the full `retort NAME --help` text
  int (*run)(const std::vector<std::string>& argv);
};

Command train_command();
Command eval_command();
Command generate_command();
Command score_command();
Command tools_command();
Command oracle_command();
Command al_command();
Command data_command();
Command bench_command();

// For subcommands whose module has not landed yet: says so on stderr and returns 2.
int not_implemented(const std::string& name);

}  // namespace retort::cli
