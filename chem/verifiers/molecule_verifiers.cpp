// Molecule-answer verifiers: chem.mol_equal (same molecule as the reference), chem.mol_formula (a valid
// SMILES of the reference formula), chem.functional_group (the formula plus every named catalogue group).
#include <cctype>
#include <map>

#include "chem/functional_groups.h"
#include "chem/verifiers/answer_parsing.h"
#include "chem/verifiers/reasoning_rewards.h"
#include "chem/verifiers/verifier_common.h"
#include "chem/verifiers/verifiers.h"

namespace retort::chem {
namespace {

// The answer as one molecule: a single SMILES token, optionally followed by a parenthesised name
// ("CCO (ethanol)"); two candidates ("CCO or CCN", "CCO (or CCN)") are a hedge and fail.
std::optional<Molecule> read_answer_molecule(const std::string& answer, std::string* reason) {
  std::string s = clean_answer(answer);
  if (s.empty()) {
    *reason = "empty answer";
    return std::nullopt;
  }
  size_t space = s.find_first_of(" \t\n");
  if (space != std::string::npos) {
    std::string rest = trim_copy(s.substr(space));
    std::string low = lower_copy(rest);
    bool parenthetical = rest.size() >= 2 && rest.front() == '(' && rest.back() == ')';
    std::string inner = parenthetical ? trim_copy(rest.substr(1, rest.size() - 2)) : "";
    bool hedge = !parenthetical || low.find(" or ") != std::string::npos || low.rfind("(or ", 0) == 0 ||
                 inner.find(',') != std::string::npos ||
                 (inner.find(' ') == std::string::npos && Molecule::try_from_smiles(inner).has_value());
    if (hedge) {
      *reason = "more than one candidate in the answer: '" + s + "'";
      return std::nullopt;
    }
    s = s.substr(0, space);
  }
  std::string error;
  auto mol = Molecule::try_from_smiles(s, &error);
  if (!mol) *reason = "answer '" + s + "' is not a valid SMILES: " + error;
  return mol;
}

// Element counts and net charge of a molecular formula ("C9H8O4", "C2H3O2-", "C5H6N+", "CH3NO2").
struct Formula {
  std::map<std::string, int> elements;
  int charge = 0;
  bool operator==(const Formula&) const = default;
};

// The count after an element symbol or charge sign at S[I] (1 when no digits follow); nullopt past
// 100000, which no molecule has (and which would overflow the int for model-written digit runs).
std::optional<int> read_count(const std::string& s, size_t& i) {
  if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return 1;
  int n = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    n = n * 10 + (s[i++] - '0');
    if (n > 100000) return std::nullopt;
  }
  return n;
}

std::optional<Formula> parse_formula(const std::string& text) {
  Formula f;
  size_t i = 0;
  std::string s = trim_copy(text);
  while (i < s.size()) {
    if (std::isupper(static_cast<unsigned char>(s[i]))) {
      std::string el(1, s[i++]);
      if (i < s.size() && std::islower(static_cast<unsigned char>(s[i]))) el += s[i++];
      auto n = read_count(s, i);
      if (!n) return std::nullopt;
      f.elements[el] += *n;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i++] == '+' ? 1 : -1;
      auto n = read_count(s, i);
      if (!n) return std::nullopt;
      f.charge += sign * *n;
    } else {
      return std::nullopt;
    }
  }
  if (f.elements.empty()) return std::nullopt;
  for (auto it = f.elements.begin(); it != f.elements.end();) it = it->second == 0 ? f.elements.erase(it) : std::next(it);
  return f;
}

Formula reference_formula(const nlohmann::json& value, const char* field) {
  if (!value.is_string()) throw std::invalid_argument(std::string(field) + ": need a formula string, got " + value.dump());
  auto f = parse_formula(value.get<std::string>());
  if (!f) throw std::invalid_argument(std::string(field) + ": '" + value.get<std::string>() + "' is not a formula");
  return *f;
}

void add_claims_about(Score& s, const ParsedCompletion& parsed, const std::optional<Molecule>& mol, const Example& ex) {
  ReasoningContext context;
  context.kind = ReasoningContext::AnswerKind::molecule;
  context.task = ex.task;
  context.image = ex.image;
  if (ex.meta.contains("perception_answers")) context.perception_answers = ex.meta["perception_answers"];
  add_reasoning_components(s, parsed.reasoning, mol, context);
}

// The final answer read as a molecule. A missing answer gives nullopt; one that is not a molecule
// sets the answer component to 0 with the reason and gives nullopt.
std::optional<Molecule> answer_molecule(const ParsedCompletion& parsed, Score& s) {
  if (!parsed.final_answer) return std::nullopt;
  std::string why;
  auto answer = read_answer_molecule(*parsed.final_answer, &why);
  if (!answer) set_answer(s, false, why);
  return answer;
}

class MolEqualVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override {
    std::string reference;
    bool ignore_stereo = false, largest = false;
    if (ex.answer.is_string()) {
      reference = ex.answer.get<std::string>();
    } else if (ex.answer.is_object() && ex.answer.contains("smiles") && ex.answer["smiles"].is_string()) {
      reference = ex.answer["smiles"].get<std::string>();
      ignore_stereo = ex.answer.value("ignore_stereo", false);
      largest = ex.answer.value("largest_fragment", false);
    } else {
      throw std::invalid_argument("reference: need a SMILES or {\"smiles\", \"ignore_stereo\", \"largest_fragment\"}, got " +
                                  ex.answer.dump());
    }
    std::string error;
    auto ref = Molecule::try_from_smiles(reference, &error);
    if (!ref) throw std::invalid_argument("reference: SMILES '" + reference + "' does not parse: " + error);
    if (largest) ref = ref->largest_fragment();
    auto parsed = parse_completion(ep.completion);
    Score s = start_score(parsed);
    std::optional<Molecule> answer = answer_molecule(parsed, s);
    if (answer) {
      Molecule a = largest ? answer->largest_fragment() : *answer;
      std::string got = a.canonical_smiles(!ignore_stereo), want = ref->canonical_smiles(!ignore_stereo);
      set_answer(s, got == want, got == want ? "same molecule (" + want + ")" : "'" + got + "' is not '" + want + "'");
    }
    add_claims_about(s, parsed, ex.smiles ? example_molecule(ex) : answer, ex);
    return s;
  }
};

class MolFormulaVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override {
    Formula want = reference_formula(ex.answer.is_object() ? ex.answer.value("formula", nlohmann::json()) : ex.answer,
                                     "reference");
    auto parsed = parse_completion(ep.completion);
    Score s = start_score(parsed);
    std::optional<Molecule> answer = answer_molecule(parsed, s);
    if (answer) {
      std::string formula = answer->formula();
      bool same = parse_formula(formula) == want;
      set_answer(s, same, "answer formula " + formula + (same ? " matches" : " differs from the reference"));
    }
    add_claims_about(s, parsed, answer, ex);
    return s;
  }
};

class FunctionalGroupVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override {
    if (!ex.answer.is_object() || !ex.answer.contains("groups") || !ex.answer["groups"].is_array())
      throw std::invalid_argument("reference: need {\"formula\": \"...\", \"groups\": [names]}, got " + ex.answer.dump());
    std::optional<Formula> want;
    if (ex.answer.contains("formula")) want = reference_formula(ex.answer["formula"], "reference.formula");
    std::vector<std::string> groups;
    for (const auto& g : ex.answer["groups"]) {
      if (!g.is_string()) throw std::invalid_argument("reference.groups: every group must be a name string");
      groups.push_back(g.get<std::string>());
    }
    auto parsed = parse_completion(ep.completion);
    Score s = start_score(parsed);
    std::optional<Molecule> answer = answer_molecule(parsed, s);
    if (answer) {
      std::string formula = answer->formula();
      bool ok = !want || parse_formula(formula) == *want;
      std::string reason = want ? "formula " + formula + (ok ? " matches" : " differs") : "";
      for (const auto& g : groups) {
        bool has = false;
        try {
          has = has_functional_group(*answer, g);
        } catch (const ChemError& e) {
          throw std::invalid_argument(std::string("reference.groups: ") + e.what());
        }
        ok = ok && has;
        reason += (reason.empty() ? "" : "; ") + g + (has ? " present" : " missing");
      }
      set_answer(s, ok, reason);
    }
    add_claims_about(s, parsed, answer, ex);
    return s;
  }
};

}  // namespace

void register_molecule_verifiers(VerifierRegistry& registry) {
  registry.add("chem.mol_equal", [](const nlohmann::json&) { return std::make_unique<MolEqualVerifier>(); });
  registry.add("chem.mol_formula", [](const nlohmann::json&) { return std::make_unique<MolFormulaVerifier>(); });
  registry.add("chem.functional_group", [](const nlohmann::json&) { return std::make_unique<FunctionalGroupVerifier>(); });
}

}  // namespace retort::chem
