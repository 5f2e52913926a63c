// The placeholder answer of a subcommand whose module has not landed yet (exit 2, says which).
#include <cstdio>

#include "cli/commands.h"

namespace retort::cli {

int not_implemented(const std::string& name) {
  std::fprintf(stderr, "retort %s: not implemented yet\n", name.c_str());
  return 2;
}

}  // namespace retort::cli
