// VerifierRegistry: name -> factory.
#include "core/verifier.h"

#include <stdexcept>

namespace retort {

VerifierRegistry& VerifierRegistry::instance() {
  static VerifierRegistry registry;
  return registry;
}

void VerifierRegistry::add(const std::string& name, VerifierFactory factory) {
  factories_[name] = std::move(factory);
}

bool VerifierRegistry::contains(const std::string& name) const { return factories_.count(name) > 0; }

std::unique_ptr<Verifier> VerifierRegistry::create(const std::string& name,
                                                   const nlohmann::json& options) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [n, f] : factories_) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown verifier '" + name + "' (known: " + known + ")");
  }
  return it->second(options);
}

std::vector<std::string> VerifierRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, f] : factories_) out.push_back(n);
  return out;
}

}  // namespace retort
