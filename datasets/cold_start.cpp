// cold_start_completion: facts -> chosen principle rules -> conclusion, in a few seeded phrasings.
// Rules are picked so that their evidence points to the reference answer when one does (the trace
// then argues for the right answer); otherwise a rule is stated in general only, never applied
// against the answer. Every stated fact is true for the molecule, and rule statements carry a
// general marker ("generally", "usually", "molecules with") so a claim checker reads them as rules,
// not as facts about this molecule.
#include "datasets/cold_start.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <set>
#include <vector>

#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/molecule.h"
#include "chem/verifiers/claim_checks.h"
#include "core/errors.h"
#include "datasets/med_kg_tasks.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/scaffold_split.h"

namespace retort::datasets {

namespace {

// ---- small text helpers ----

size_t bounded(std::mt19937_64& rng, size_t n) {  // uniform in [0, n), unbiased
  uint64_t limit = UINT64_MAX - UINT64_MAX % n, r;
  do r = rng(); while (r >= limit);
  return static_cast<size_t>(r % n);
}

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& options) {
  return options[bounded(rng, options.size())];
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.00"
  return s;
}

std::string shortest(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

std::string count_noun(int n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string capitalised(std::string s) {
  if (!s.empty() && s.rfind("logP", 0) != 0 && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
  return s;
}

std::string with_article(const std::string& name) {
  return (std::string("aeiou").find(name[0]) != std::string::npos ? "an " : "a ") + name;
}

// ---- facts about the molecule ----

// Functional groups a trace may name: chem's catalogue name -> the phrase written. A group is named
// only when the catalogue's SMARTS (chem/functional_groups.h) and the claim checker's own SMARTS
// (chem/verifiers/claim_checks.h, which may be stricter, e.g. no aromatic N in "tertiary amine") both
// find it, so the claim is true under either reading.
struct GroupPhrase {
  const char* catalogue_name;
  const char* checker_name;
  const char* phrase;
};
constexpr GroupPhrase kGroupPhrases[] = {
    {"carboxylic_acid", "carboxylic_acid", "carboxylic acid"}, {"ester", "ester", "ester"},
    {"amide", "amide", "amide"}, {"primary_amine", "primary_amine", "primary amine"},
    {"secondary_amine", "secondary_amine", "secondary amine"}, {"tertiary_amine", "tertiary_amine", "tertiary amine"},
    {"alcohol", "alcohol", "alcohol"}, {"phenol", "phenol", "phenol"}, {"ketone", "ketone", "ketone"},
    {"aldehyde", "aldehyde", "aldehyde"}, {"ether", "ether", "ether"}, {"nitro", "nitro", "nitro group"},
    {"nitrile", "nitrile", "nitrile"}, {"halide", "halogen", "halogen"},
    {"sulfonamide", "sulfonamide", "sulfonamide"}, {"thiol", "thiol", "thiol"}, {"alkene", "alkene", "alkene"},
    {"alkyne", "alkyne", "alkyne"}, {"urea", "urea", "urea"}, {"phosphate", "phosphate", "phosphate"},
};

struct Facts {
  chem::Descriptors d;
  int rings = 0, aromatic_rings = 0;
  std::vector<std::string> group_phrases;  // phrases of the groups both readings find, kGroupPhrases order
  std::set<std::string> stated_groups;     // their catalogue names
};

Facts compute_facts(const chem::Molecule& mol) {
  Facts f;
  f.d = chem::compute_descriptors(mol);
  f.rings = mol.ring_count();
  f.aromatic_rings = mol.aromatic_ring_count();
  const std::vector<std::string> present = chem::functional_groups(mol);
  const chem::MoleculeFacts checker = chem::molecule_facts(mol);
  for (const auto& g : kGroupPhrases) {
    if (std::find(present.begin(), present.end(), g.catalogue_name) == present.end()) continue;
    auto it = checker.group_counts.find(g.checker_name);
    if (it == checker.group_counts.end() || it->second <= 0) continue;
    f.group_phrases.push_back(g.phrase);
    f.stated_groups.insert(g.catalogue_name);
  }
  return f;
}

enum class Fact { mol_wt, logp, tpsa, hbonds, hbd, rings, aromatic_rings, rotatable, lipinski, groups };

// A fact as a lower-case clause without a full stop ("the molecular weight is 180.16 g/mol");
// empty when there is nothing to say (no functional groups).
std::string fact_clause(Fact fact, const Facts& x, std::mt19937_64& rng) {
  switch (fact) {
    case Fact::mol_wt:
      return pick(rng, std::vector<std::string>{"the molecular weight is", "its molecular weight is"}) + " " +
             fixed(x.d.mol_wt, 2) + " g/mol";
    case Fact::logp:
      return pick(rng, std::vector<std::string>{"logP is", "its logP is", "the Crippen logP is"}) + " " +
             fixed(x.d.logp, 2);
    case Fact::tpsa:
      return pick(rng, std::vector<std::string>{"TPSA is", "its TPSA is"}) + " " + fixed(x.d.tpsa, 1) + " Å²";
    case Fact::hbonds:
      return "it has " + count_noun(x.d.hbd, "hydrogen bond donor") + " and " +
             count_noun(x.d.hba, "hydrogen bond acceptor");
    case Fact::hbd:
      return "it has " + count_noun(x.d.hbd, "hydrogen bond donor");
    case Fact::rings:
      return "it has " + count_noun(x.rings, "ring");
    case Fact::aromatic_rings:
      return "it has " + count_noun(x.aromatic_rings, "aromatic ring");
    case Fact::rotatable:
      return "it has " + count_noun(x.d.rotatable_bonds, "rotatable bond");
    case Fact::lipinski:
      return "it has " + count_noun(x.d.lipinski_violations, "Lipinski violation");
    case Fact::groups: {
      if (x.group_phrases.empty()) return "";
      std::vector<size_t> order(x.group_phrases.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      portable_shuffle(order, rng);
      order.resize(std::min<size_t>(order.size(), 3));
      std::sort(order.begin(), order.end());
      std::string list;
      for (size_t k = 0; k < order.size(); ++k)
        list += (k == 0 ? "" : k + 1 == order.size() ? " and " : ", ") + with_article(x.group_phrases[order[k]]);
      return pick(rng, std::vector<std::string>{"it contains ", "the molecule contains "}) + list;
    }
  }
  return "";
}

// ---- principle rules ----

// What a rule says about this molecule: DIRECTION +1 points to a high value / "yes", -1 to a low
// value / "no", 0 = not decisive (CLAUSE empty). CLAUSE states the evidence, e.g.
// "logP is 3.21, which points to low solubility".
struct Evidence {
  int direction = 0;
  std::string clause;
};

struct Rule {
  std::string statement;  // the principle with its direction, a full sentence
  std::vector<Fact> uses;  // facts its evidence states (not repeated as plain facts)
  std::function<Evidence(const Facts&, std::mt19937_64&)> evidence;
  bool about_any_molecule = true;  // false: only worth stating when its premise applies (a group rule)
};

Evidence when(int direction, std::string clause) { return {direction, std::move(clause)}; }

std::vector<Rule> rules_for(const std::string& task) {
  using F = Fact;
  auto logp = [](const Facts& x, std::mt19937_64& r) { return fact_clause(F::logp, x, r); };
  auto mw = [](const Facts& x, std::mt19937_64& r) { return fact_clause(F::mol_wt, x, r); };
  auto tpsa = [](const Facts& x, std::mt19937_64& r) { return fact_clause(F::tpsa, x, r); };
  auto hbd = [](const Facts& x, std::mt19937_64& r) { return fact_clause(F::hbd, x, r); };
  auto hb = [](const Facts& x, std::mt19937_64& r) { return fact_clause(F::hbonds, x, r); };
  if (task == "esol")
    return {
        {"Higher logP generally reduces aqueous solubility.", {F::logp},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp > 3) return when(-1, logp(x, r) + ", which points to low solubility");
           if (x.d.logp < 1) return when(+1, logp(x, r) + ", which points to high solubility");
           return Evidence{};
         }},
        {"Higher molecular weight generally reduces aqueous solubility.", {F::mol_wt},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.mol_wt > 300) return when(-1, mw(x, r) + ", which reduces solubility");
           if (x.d.mol_wt < 150) return when(+1, mw(x, r) + ", which favours solubility");
           return Evidence{};
         }},
        {"More aromatic rings generally reduce aqueous solubility.", {F::aromatic_rings},
         [](const Facts& x, std::mt19937_64& r) {
           if (x.aromatic_rings >= 2) return when(-1, fact_clause(F::aromatic_rings, x, r) + ", which reduces solubility");
           if (x.aromatic_rings == 0) return when(+1, fact_clause(F::aromatic_rings, x, r) + ", which favours solubility");
           return Evidence{};
         }},
        {"More hydrogen bond donors generally increase aqueous solubility.", {F::hbd},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.hbd >= 2) return when(+1, hbd(x, r) + ", which favours solubility");
           return Evidence{};
         }},
    };
  if (task == "freesolv")
    return {
        {"Hydrogen bond donors and acceptors generally make the hydration free energy more negative.", {F::hbonds},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.hbd + x.d.hba >= 3) return when(-1, hb(x, r) + ", so hydration should be strongly favourable");
           if (x.d.hbd + x.d.hba == 0) return when(+1, hb(x, r) + ", so hydration should be weak");
           return Evidence{};
         }},
        {"A larger polar surface area generally makes hydration more favourable.", {F::tpsa},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.tpsa >= 40) return when(-1, tpsa(x, r) + ", which favours strong hydration");
           if (x.d.tpsa < 10) return when(+1, tpsa(x, r) + ", so hydration should be weak");
           return Evidence{};
         }},
        {"Higher logP generally makes the hydration free energy less negative.", {F::logp},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp > 3) return when(+1, logp(x, r) + ", which points to weak hydration");
           if (x.d.logp < 0.5) return when(-1, logp(x, r) + ", which points to strong hydration");
           return Evidence{};
         }},
    };
  if (task == "lipophilicity")
    return {
        {"Higher logP generally raises logD.", {F::logp},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp > 3.5) return when(+1, logp(x, r) + ", which points to a high logD");
           if (x.d.logp < 1.5) return when(-1, logp(x, r) + ", which points to a low logD");
           return Evidence{};
         }},
        {"A carboxylic acid is usually ionized at pH 7.4, which lowers logD below logP.", {},
         [](const Facts& x, std::mt19937_64& r) {
           if (x.stated_groups.count("carboxylic_acid")) return when(-1, "it contains a carboxylic acid");
           return Evidence{};
         },
         /*about_any_molecule=*/false},
        {"A large polar surface area generally lowers logD.", {F::tpsa},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.tpsa > 100) return when(-1, tpsa(x, r) + ", which lowers logD");
           if (x.d.tpsa < 40) return when(+1, tpsa(x, r) + ", which keeps logD high");
           return Evidence{};
         }},
    };
  if (task == "bbbp")
    return {
        {"Molecules with TPSA above 90 Å² usually cross the blood-brain barrier poorly.", {F::tpsa},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.tpsa > 90) return when(-1, tpsa(x, r) + ", which hinders blood-brain barrier penetration");
           if (x.d.tpsa < 60) return when(+1, tpsa(x, r) + ", which favours blood-brain barrier penetration");
           return Evidence{};
         }},
        {"Molecules heavier than 450 g/mol usually do not cross the blood-brain barrier.", {F::mol_wt},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.mol_wt > 450) return when(-1, mw(x, r) + ", above 450 g/mol");
           if (x.d.mol_wt < 400) return when(+1, mw(x, r) + ", below 450 g/mol");
           return Evidence{};
         }},
        {"Molecules with many hydrogen bond donors (more than three) usually cross the blood-brain barrier poorly.",
         {F::hbd},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.hbd > 3) return when(-1, hbd(x, r) + ", which hinders blood-brain barrier penetration");
           if (x.d.hbd <= 1) return when(+1, hbd(x, r) + ", which favours blood-brain barrier penetration");
           return Evidence{};
         }},
        {"Molecules with logP between 1 and 4 usually reach the brain more easily.", {F::logp},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp >= 1 && x.d.logp <= 4) return when(+1, logp(x, r) + ", inside that range");
           return Evidence{};
         }},
    };
  if (task == "bace")
    return {
        {"Potent BACE-1 inhibitors are usually large, filling the binding site.", {F::mol_wt},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.mol_wt > 450) return when(+1, mw(x, r) + ", which is large");
           if (x.d.mol_wt < 350) return when(-1, mw(x, r) + ", which is small");
           return Evidence{};
         }},
        {"More aromatic rings usually add hydrophobic contacts in the BACE-1 pocket and raise potency.",
         {F::aromatic_rings},
         [](const Facts& x, std::mt19937_64& r) {
           if (x.aromatic_rings >= 3) return when(+1, fact_clause(F::aromatic_rings, x, r));
           if (x.aromatic_rings <= 1) return when(-1, fact_clause(F::aromatic_rings, x, r));
           return Evidence{};
         }},
        {"Higher logP often raises BACE-1 potency.", {F::logp},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp > 4) return when(+1, logp(x, r) + ", which is high");
           if (x.d.logp < 2) return when(-1, logp(x, r) + ", which is low");
           return Evidence{};
         }},
    };
  if (task == "clintox")
    return {
        {"High logP (above 3) with low TPSA (below 75 Å²) generally raises the risk of toxicity.", {F::logp, F::tpsa},
         [=](const Facts& x, std::mt19937_64& r) {
           if (x.d.logp > 3 && x.d.tpsa < 75) return when(+1, logp(x, r) + " and " + tpsa(x, r) + ", so that risk applies");
           if (x.d.logp < 3 && x.d.tpsa > 75) return when(-1, logp(x, r) + " and " + tpsa(x, r) + ", so that risk is low");
           return Evidence{};
         }},
        {"Molecules with no Lipinski violations usually fail less often for toxicity.", {F::lipinski},
         [](const Facts& x, std::mt19937_64& r) {
           if (x.d.lipinski_violations == 0) return when(-1, fact_clause(F::lipinski, x, r));
           if (x.d.lipinski_violations >= 2) return when(+1, fact_clause(F::lipinski, x, r));
           return Evidence{};
         }},
    };
  return {};
}

std::vector<Fact> relevant_facts(const std::string& task) {
  using F = Fact;
  if (task == "esol") return {F::logp, F::mol_wt, F::aromatic_rings, F::hbonds, F::rotatable};
  if (task == "freesolv") return {F::hbonds, F::tpsa, F::groups, F::logp, F::mol_wt};
  if (task == "lipophilicity") return {F::logp, F::tpsa, F::groups, F::hbonds, F::aromatic_rings};
  if (task == "bbbp") return {F::tpsa, F::mol_wt, F::hbonds, F::logp, F::groups};
  if (task == "bace") return {F::mol_wt, F::aromatic_rings, F::logp, F::groups, F::rings};
  return {F::logp, F::tpsa, F::lipinski, F::mol_wt, F::groups};  // clintox
}

// A principle: the general rule, then (when the evidence points to the reference answer) how it
// applies here. Evidence pointing the other way is never stated as a conclusion, so the reasoning's
// applied claims always agree with the final answer.
std::string principle_text(const Rule& rule, const Evidence& ev, int side, std::mt19937_64& rng) {
  if (ev.direction == 0 || ev.direction != side) return rule.statement;
  // "Here it has ..." reads well; "In this molecule it has ..." does not.
  std::string lead = ev.clause.rfind("it ", 0) == 0 ? " Here "
                                                    : pick(rng, std::vector<std::string>{" Here ", " In this molecule "});
  return rule.statement + lead + ev.clause + ".";
}

}  // namespace

std::string reference_answer_text(const Example& example) {
  const TaskSpec& spec = find_task(example.task);
  const std::string where = "example '" + example.id + "'";
  if (spec.kind == TaskKind::binary) {
    if (!example.answer.is_boolean()) throw DataError(where + ": answer must be true or false");
    return example.answer.get<bool>() ? "yes" : "no";
  }
  if (!example.answer.is_object() || !example.answer.contains("value") || !example.answer["value"].is_number())
    throw DataError(where + ": answer must be {\"value\": number, \"tolerance\": number}");
  return shortest(example.answer["value"].get<double>());
}

std::string cold_start_completion(const Example& example, std::mt19937_64& rng, TraceLength length) {
  if (is_kg_trace_example(example)) return kg_cold_start_completion(example);  // medical KG questions (med_kg_tasks.h)
  const TaskSpec& spec = find_task(example.task);
  const std::string answer = reference_answer_text(example);
  if (!example.smiles) throw DataError("example '" + example.id + "': no SMILES");
  const Facts facts = compute_facts(chem::Molecule::from_smiles(*example.smiles));

  int side;  // +1: high value / yes; -1: low value / no
  if (spec.kind == TaskKind::binary)
    side = example.answer.get<bool>() ? +1 : -1;
  else
    side = example.answer["value"].get<double>() > spec.pivot ? +1 : -1;

  // Principles: agreeing evidence first (random order among them), else a rule stated in general.
  const std::vector<Rule> rules = rules_for(spec.name);
  std::vector<std::pair<size_t, Evidence>> agree, neutral, oppose;
  for (size_t i = 0; i < rules.size(); ++i) {
    Evidence ev = rules[i].evidence(facts, rng);
    if (ev.direction == side) agree.emplace_back(i, std::move(ev));
    else if (rules[i].about_any_molecule) (ev.direction == 0 ? neutral : oppose).emplace_back(i, std::move(ev));
  }
  portable_shuffle(agree, rng);
  portable_shuffle(neutral, rng);
  portable_shuffle(oppose, rng);
  const size_t principle_count = length == TraceLength::full ? 2 : 1;
  std::vector<std::pair<size_t, Evidence>> chosen(agree.begin(), agree.begin() + std::min(agree.size(), principle_count));
  if (chosen.empty() && !neutral.empty()) chosen.push_back(neutral.front());
  if (chosen.empty() && !oppose.empty()) chosen.push_back(oppose.front());

  // Plain facts: the task's relevant ones not already stated by a chosen principle.
  std::set<Fact> stated;
  for (const auto& [i, ev] : chosen)
    if (ev.direction == side) stated.insert(rules[i].uses.begin(), rules[i].uses.end());
  const size_t fact_count = length == TraceLength::full ? 3 : 1;
  // Candidates in relevance order; one of the first FACT_COUNT + 1 is left out at random for variety.
  std::vector<std::string> candidates;
  for (Fact f : relevant_facts(spec.name)) {
    if (candidates.size() > fact_count) break;
    if (stated.count(f)) continue;
    std::string clause = fact_clause(f, facts, rng);
    if (!clause.empty()) candidates.push_back(capitalised(clause) + ".");
  }
  if (candidates.size() > fact_count) candidates.erase(candidates.begin() + bounded(rng, candidates.size()));
  std::vector<std::string> sentences = candidates;
  portable_shuffle(sentences, rng);
  for (const auto& [i, ev] : chosen) sentences.push_back(principle_text(rules[i], ev, side, rng));

  std::string conclusion;
  if (spec.kind == TaskKind::binary) {
    const std::string& verdict = side > 0 ? spec.positive : spec.negative;
    conclusion = pick(rng, std::vector<std::string>{"Overall, ", "Therefore, ", "So "}) + verdict + ".";
  } else {
    const std::string unit = spec.unit == "kcal/mol" ? " kcal/mol" : "";
    conclusion = pick(rng, std::vector<std::string>{"I estimate " + spec.quantity + " at " + answer + unit + ".",
                                                    "So " + spec.quantity + " is about " + answer + unit + "."});
  }
  sentences.push_back(capitalised(conclusion));

  std::string think;
  for (const auto& s : sentences) think += (think.empty() ? "" : " ") + s;
  return "<think>" + think + "</think>\n<answer>" + answer + "</answer>";
}

}  // namespace retort::datasets
