// PEARL-style perception checklist for the molecule picture: sub-questions whose answers RDKit knows
// (ring count, aromatic rings, heteroatom counts, charged atoms), how to read a count answer, and the
// share of checklist answers that are right (the `perception` component).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chem/molecule.h"

namespace retort::chem {

struct PerceptionQuestion {
  std::string id;        // "rings", "aromatic_rings", "nitrogen_atoms", "oxygen_atoms", "sulfur_atoms",
                         // "halogen_atoms", "charged_atoms"
  std::string question;  // as asked under the picture
  int answer = 0;
};

std::vector<PerceptionQuestion> perception_checklist(const Molecule& mol);

// A count answer: the first integer or number word ("2", "two rings", "There are 3."); nullopt if none.
std::optional<int> read_count_answer(std::string_view answer);

struct PerceptionResult {
  int asked = 0, right = 0;
  std::string reason;
};
// ANSWERS: {question id: answer text or number}; ids not in the checklist are ignored.
PerceptionResult score_perception_answers(const std::vector<PerceptionQuestion>& checklist, const nlohmann::json& answers);

}  // namespace retort::chem
