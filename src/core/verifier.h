// Verifier interface and the reward registry: verifiers are registered by name ("chem.mol_equal",
// "med.mcq", ...) and built from JSON options; src/rl reaches chem/ and med/ only through this.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/episode.h"
#include "core/example.h"

namespace retort {

struct Score {
  double total = 0.0;
  bool correct = false;                         // the verdict on the final answer alone
  std::map<std::string, double> components;     // format, answer, structure, ...
  std::map<std::string, std::string> reasons;   // one short human reason per component
};

class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual Score verify(const Example& example, const Episode& episode) const = 0;
};

using VerifierFactory = std::function<std::unique_ptr<Verifier>(const nlohmann::json& options)>;

class VerifierRegistry {
 public:
  static VerifierRegistry& instance();
  void add(const std::string& name, VerifierFactory factory);
  bool contains(const std::string& name) const;
  // Throws std::invalid_argument "unknown verifier 'x' (known: a, b, ...)".
  std::unique_ptr<Verifier> create(const std::string& name, const nlohmann::json& options = {}) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, VerifierFactory> factories_;
};

}  // namespace retort
