// Error types of the core layer. Messages name where and what, so a user can act on them.
#pragma once
#include <stdexcept>
#include <string>

namespace retort {

// Bad configuration: "train.json: rl.group_size: must be >= 2, got 1".
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bad input data: "bbbp.csv line 17: SMILES 'C1CC' does not parse: unclosed ring".
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file or directory could not be read or written.
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace retort
