// Shared verifier helpers (see verifier_common.h).
#include "chem/verifiers/verifier_common.h"

#include "chem/verifiers/answer_parsing.h"

namespace retort::chem {

Score start_score(const ParsedCompletion& parsed) {
  Score s;
  s.components["format"] = parsed.well_formed ? 1.0 : 0.0;
  s.reasons["format"] = parsed.format_reason;
  s.components["answer"] = 0.0;
  s.reasons["answer"] = "no final answer (<answer> block or \\boxed{})";
  return s;
}

void set_answer(Score& score, bool correct, const std::string& reason) {
  score.correct = correct;
  score.components["answer"] = correct ? 1.0 : 0.0;
  score.reasons["answer"] = reason;
}

std::string clean_answer(const std::string& answer) {
  std::string s = trim_copy(answer);
  if (s.rfind("```", 0) == 0) {
    size_t nl = s.find('\n');
    s = nl == std::string::npos ? s.substr(3) : s.substr(nl + 1);
    if (size_t end = s.rfind("```"); end != std::string::npos) s = s.substr(0, end);
    s = trim_copy(s);
  }
  bool changed = true;
  while (changed && s.size() >= 2) {
    changed = false;
    for (const char* pair : {"``", "\"\"", "''", "**", "__"}) {
      if (s.front() == pair[0] && s.back() == pair[1]) {
        s = trim_copy(s.substr(1, s.size() - 2));
        changed = true;
      }
    }
  }
  std::string low = lower_copy(s.substr(0, 8));
  if (low.rfind("smiles:", 0) == 0) s = trim_copy(s.substr(7));
  else if (low.rfind("smiles ", 0) == 0 && s.find(' ', 7) == std::string::npos) s = trim_copy(s.substr(7));
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::optional<Molecule> example_molecule(const Example& example) {
  if (!example.smiles || example.smiles->empty()) return std::nullopt;
  std::string error;
  auto mol = Molecule::try_from_smiles(*example.smiles, &error);
  if (!mol) throw std::invalid_argument("smiles: " + error);  // error: "SMILES '...' does not parse: <reason>"
  return mol;
}

}  // namespace retort::chem
