// Command-line arguments of one subcommand: positionals, "--name value" / "--name=value" options,
// repeatable options (--set), and bare flags. Errors are one line naming the argument.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace retort::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // FLAGS are options that take no value (e.g. "help"); every other --name takes one.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& flags = {});
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;  // every --name, in order
  int get_int(const std::string& name, int fallback) const;
  // Throws UsageError for any --option not in KNOWN (typo guard).
  void allow_only(const std::set<std::string>& known) const;

 private:
  std::vector<std::string> positionals_;
  std::multimap<std::string, std::string> options_;
  std::vector<std::string> order_;
  std::set<std::string> flags_;
};

}  // namespace retort::cli
