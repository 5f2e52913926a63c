// The rule table behind the `principle` reward: direction rules of medicinal chemistry, each with its
// source, and the cut-offs that make "high"/"low" checkable for a given molecule. A stated principle
// is consistent when its direction matches the rule, its premise holds for the molecule (when it is
// about the molecule), and its conclusion agrees with the final answer (when the task asks for that
// property).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "chem/verifiers/claims.h"

namespace retort::chem {

struct PrincipleRule {
  std::string id;
  Quantity quantity;
  Property property;
  int sign;             // +1: higher quantity -> more property; -1: higher quantity -> less property
  double high_above;    // the premise "high" holds above this value (a threshold rule's threshold)
  double low_below;     // the premise "low" holds below this value
  std::string statement;
  std::string source;
};

const std::vector<PrincipleRule>& principle_rules();
const PrincipleRule* find_rule(Quantity quantity, Property property);

}  // namespace retort::chem
