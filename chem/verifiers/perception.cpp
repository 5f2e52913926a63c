// Perception checklist questions and scoring (see perception.h).
#include "chem/verifiers/perception.h"

#include <map>

#include "chem/verifiers/answer_parsing.h"
#include "chem/verifiers/claim_checks.h"

namespace retort::chem {

std::vector<PerceptionQuestion> perception_checklist(const Molecule& mol) {
  MoleculeFacts f = molecule_facts(mol);
  return {
      {"rings", "How many rings does the pictured molecule have?", f.rings},
      {"aromatic_rings", "How many aromatic rings does the pictured molecule have?", f.aromatic_rings},
      {"nitrogen_atoms", "How many nitrogen atoms are in the pictured molecule?", f.nitrogen_atoms},
      {"oxygen_atoms", "How many oxygen atoms are in the pictured molecule?", f.oxygen_atoms},
      {"sulfur_atoms", "How many sulfur atoms are in the pictured molecule?", f.sulfur_atoms},
      {"halogen_atoms", "How many halogen atoms (F, Cl, Br, I) are in the pictured molecule?", f.halogen_atoms},
      {"charged_atoms", "How many atoms carry a formal charge in the pictured molecule?", f.charged_atoms},
  };
}

std::optional<int> read_count_answer(std::string_view answer) {
  static const std::map<std::string, int> words = {{"zero", 0}, {"none", 0}, {"no", 0},    {"one", 1},
                                                   {"two", 2},  {"three", 3}, {"four", 4}, {"five", 5},
                                                   {"six", 6},  {"seven", 7}, {"eight", 8}, {"nine", 9},
                                                   {"ten", 10}};
  std::string low = lower_copy(answer);
  size_t word_at = std::string::npos;
  int word_value = 0;
  for (const auto& [w, v] : words) {
    for (size_t at = low.find(w); at != std::string::npos; at = low.find(w, at + 1)) {
      bool left = at == 0 || !std::isalpha(static_cast<unsigned char>(low[at - 1]));
      bool right = at + w.size() >= low.size() || !std::isalpha(static_cast<unsigned char>(low[at + w.size()]));
      if (left && right && at < word_at) word_at = at, word_value = v;
    }
  }
  auto n = find_number(answer);
  if (n && n->begin < word_at) {
    if (n->value < 0 || n->value != static_cast<int>(n->value)) return std::nullopt;
    return static_cast<int>(n->value);
  }
  if (word_at != std::string::npos) return word_value;
  return std::nullopt;
}

PerceptionResult score_perception_answers(const std::vector<PerceptionQuestion>& checklist, const nlohmann::json& answers) {
  PerceptionResult r;
  if (!answers.is_object()) return r;
  for (const auto& q : checklist) {
    if (!answers.contains(q.id)) continue;
    const auto& a = answers[q.id];
    std::optional<int> given;
    if (a.is_number_integer()) given = a.get<int>();
    else if (a.is_string()) given = read_count_answer(a.get<std::string>());
    ++r.asked;
    bool ok = given && *given == q.answer;
    r.right += ok;
    r.reason += (r.reason.empty() ? "" : "; ") + q.id + " " + (given ? std::to_string(*given) : std::string("?")) +
                (ok ? " right" : " wrong (RDKit " + std::to_string(q.answer) + ")");
  }
  return r;
}

}  // namespace retort::chem
