// MPPReasoner's principle-guided reward terms, checked with RDKit: from the reasoning text, the claim
// components structure / property_consistency / principle, logical_consistency (the conclusion the
// reasoning states equals the final answer) and, for image tasks, perception. A component is added
// only when the reasoning makes at least one checkable claim of its kind.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "chem/molecule.h"
#include "chem/verifiers/claims.h"
#include "core/verifier.h"

namespace retort::chem {

struct ReasoningContext {
  enum class AnswerKind { numeric, binary, molecule } kind = AnswerKind::molecule;
  std::string task;                      // "bbbp", "esol", "binary", ... (selects conclusion keywords)
  std::optional<double> answer_number;   // numeric tasks: the final answer's value
  double tolerance = 0;                  // numeric tasks: the task's tolerance
  std::optional<bool> answer_label;      // binary tasks: the final answer's label
  std::optional<Property> asked;         // the property the task asks about, if the rule table knows it
  bool image = false;                    // the prompt showed the molecule's picture
  nlohmann::json perception_answers;     // {checklist id: answer}, when the episode answered the checklist
};

// Adds the components (and one reason each) that the reasoning supports. MOLECULE is the task's
// molecule; without it only logical_consistency can be judged.
void add_reasoning_components(Score& score, const std::string& reasoning, const std::optional<Molecule>& molecule,
                              const ReasoningContext& context);

// The property a MoleculeNet task asks about, for principle checks ("bbbp" -> bbb_penetration).
std::optional<Property> task_property(const std::string& task);

}  // namespace retort::chem
