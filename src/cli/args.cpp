// Args: a small, strict parser (no abbreviations, no surprises).
#include "cli/args.h"

namespace retort::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-h") {
      flags_.insert("help");
    } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2), value;
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (flags.count(name) || name == "help") {
        flags_.insert(name);
        order_.push_back(name);
        continue;
      } else {
        if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
        value = argv[++i];
      }
      options_.emplace(name, value);
      order_.push_back(name);
    } else {
      positionals_.push_back(a);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto range = options_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // the last one wins
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("missing required option --" + name);
  return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
  std::vector<std::string> out;
  auto range = options_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

int Args::get_int(const std::string& name, int fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  try {
    size_t used = 0;
    int x = std::stoi(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing text");
    return x;
  } catch (const std::exception&) {
    throw UsageError("--" + name + " must be an integer, got '" + *v + "'");
  }
}

void Args::allow_only(const std::set<std::string>& known) const {
  for (const auto& name : order_)
    if (name != "help" && !known.count(name)) throw UsageError("unknown option --" + name);
}

}  // namespace retort::cli
