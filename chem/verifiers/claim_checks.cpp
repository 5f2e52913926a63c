// Claim verdicts against RDKit facts (see claim_checks.h).
#include "chem/verifiers/claim_checks.h"

#include <GraphMol/Atom.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/ROMol.h>

#include <cmath>
#include <cstdio>

#include "chem/descriptors.h"
#include "chem/structure.h"
#include "chem/verifiers/principle_rules.h"

namespace retort::chem {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

bool compare(double actual, Comparison c, double stated, double tolerance) {
  switch (c) {
    case Comparison::eq:
    case Comparison::approx: return std::abs(actual - stated) <= tolerance + 1e-9;
    case Comparison::lt: return actual < stated;
    case Comparison::le: return actual <= stated;
    case Comparison::gt: return actual > stated;
    case Comparison::ge: return actual >= stated;
  }
  return false;
}

// The values a quantity may have under the accepted definitions.
std::vector<double> values_of(Quantity q, const MoleculeFacts& f) {
  switch (q) {
    case Quantity::mol_wt: return {f.mol_wt};
    case Quantity::logp: return {f.logp};
    case Quantity::tpsa: return {f.tpsa};
    case Quantity::hbd: return {double(f.hbd), double(f.hbd_lipinski)};
    case Quantity::hba: return {double(f.hba), double(f.hba_lipinski)};
    case Quantity::rotatable_bonds: return {double(f.rotatable_bonds)};
    case Quantity::rings: return {double(f.rings)};
    case Quantity::aromatic_rings: return {double(f.aromatic_rings)};
    case Quantity::heavy_atoms: return {double(f.heavy_atoms)};
    case Quantity::net_charge: return {double(f.net_charge)};
    case Quantity::nitrogen_atoms: return {double(f.nitrogen_atoms)};
    case Quantity::oxygen_atoms: return {double(f.oxygen_atoms)};
    case Quantity::sulfur_atoms: return {double(f.sulfur_atoms)};
    case Quantity::halogen_atoms: return {double(f.halogen_atoms)};
    case Quantity::charged_atoms: return {double(f.charged_atoms)};
    case Quantity::lipinski_violations: return {double(f.lipinski_violations), double(f.lipinski_violations_alt)};
  }
  return {};
}

std::string actual_text(Quantity q, const MoleculeFacts& f) {
  auto v = values_of(q, f);
  std::string s = fmt(v[0]);
  if (v.size() > 1 && v[1] != v[0]) s += " (or " + fmt(v[1]) + " by the other definition)";
  return s;
}

}  // namespace

double claim_tolerance(Quantity q, double value) {
  switch (q) {
    case Quantity::mol_wt: return std::max(1.0, 0.01 * std::abs(value));
    case Quantity::logp: return 0.5;
    case Quantity::tpsa: return std::max(5.0, 0.1 * std::abs(value));
    default: return 0.0;
  }
}

MoleculeFacts molecule_facts(const Molecule& mol) {
  const RDKit::ROMol& m = mol.rdkit();
  MoleculeFacts f;
  f.mol_wt = mol_wt(mol);
  f.logp = logp(mol);
  f.tpsa = tpsa(mol);
  f.hbd = static_cast<int>(RDKit::Descriptors::calcNumHBD(m));
  f.hba = static_cast<int>(RDKit::Descriptors::calcNumHBA(m));
  f.hbd_lipinski = static_cast<int>(RDKit::Descriptors::calcLipinskiHBD(m));
  f.hba_lipinski = static_cast<int>(RDKit::Descriptors::calcLipinskiHBA(m));
  f.rotatable_bonds = static_cast<int>(RDKit::Descriptors::calcNumRotatableBonds(m));
  f.rings = mol.ring_count();
  f.aromatic_rings = mol.aromatic_ring_count();
  f.heavy_atoms = mol.heavy_atoms();
  f.net_charge = mol.formal_charge();
  for (const auto* atom : m.atoms()) {
    int z = atom->getAtomicNum();
    f.nitrogen_atoms += z == 7;
    f.oxygen_atoms += z == 8;
    f.sulfur_atoms += z == 16;
    f.halogen_atoms += z == 9 || z == 17 || z == 35 || z == 53;
    f.charged_atoms += atom->getFormalCharge() != 0;
  }
  auto violations = [&](int hbd, int hba) {
    return (f.mol_wt > 500) + (f.logp > 5) + (hbd > 5) + (hba > 10);
  };
  f.lipinski_violations = violations(f.hbd_lipinski, f.hba_lipinski);
  f.lipinski_violations_alt = violations(f.hbd, f.hba);
  // One set per thread: RDKit query molecules are not shared across threads.
  thread_local const std::vector<std::pair<std::string, SmartsPattern>> patterns = [] {
    std::vector<std::pair<std::string, SmartsPattern>> p;
    for (const auto& g : group_terms()) p.emplace_back(g.name, SmartsPattern::parse(g.smarts));
    return p;
  }();
  for (const auto& [name, pattern] : patterns) f.group_counts[name] = pattern.count_matches(mol);
  return f;
}

const char* claim_component(const Claim& c) {
  if (c.kind == Claim::Kind::principle) return "principle";
  if (c.kind == Claim::Kind::group) return "structure";
  switch (c.numeric.quantity) {
    case Quantity::mol_wt:
    case Quantity::logp:
    case Quantity::tpsa:
    case Quantity::hbd:
    case Quantity::hba:
    case Quantity::rotatable_bonds:
    case Quantity::lipinski_violations: return "property_consistency";
    default: return "structure";
  }
}

bool is_perception_claim(const Claim& c) {
  if (c.kind != Claim::Kind::numeric) return false;
  switch (c.numeric.quantity) {
    case Quantity::rings:
    case Quantity::aromatic_rings:
    case Quantity::nitrogen_atoms:
    case Quantity::oxygen_atoms:
    case Quantity::sulfur_atoms:
    case Quantity::halogen_atoms:
    case Quantity::charged_atoms: return true;
    default: return false;
  }
}

ClaimVerdict check_claim(const Claim& c, const MoleculeFacts& f, const AnswerContext& context) {
  ClaimVerdict v;
  const std::string said = to_string(c);
  if (c.kind == Claim::Kind::numeric) {
    v.checkable = true;
    const auto& n = c.numeric;
    for (double actual : values_of(n.quantity, f))
      v.holds = v.holds || compare(actual, n.comparison, n.value, claim_tolerance(n.quantity, n.value));
    v.reason = said + ": RDKit " + actual_text(n.quantity, f) + (v.holds ? " (true)" : " (false)");
    return v;
  }
  if (c.kind == Claim::Kind::group) {
    v.checkable = true;
    auto it = f.group_counts.find(c.group.group);
    int count = it == f.group_counts.end() ? 0 : it->second;
    if (!c.group.present) v.holds = count == 0;
    else if (c.group.count > 0) v.holds = count == c.group.count;
    else v.holds = count > 0;
    v.reason = said + ": " + std::to_string(count) + " match(es)" + (v.holds ? " (true)" : " (false)");
    return v;
  }
  const auto& p = c.principle;
  const PrincipleRule* rule = find_rule(p.quantity, p.property);
  if (!rule) {
    v.reason = said + ": no rule in the table";
    return v;
  }
  const double midpoint = (rule->high_above + rule->low_below) / 2;
  int premise_direction = p.quantity_direction;
  if (!premise_direction && p.value) {
    if (*p.value > rule->high_above) premise_direction = +1;
    else if (*p.value < rule->low_below) premise_direction = -1;
  }
  if (!premise_direction) {
    v.reason = said + ": premise value between the rule's high and low cut-offs";
    return v;
  }
  v.checkable = true;
  std::string why;
  bool direction_ok = premise_direction * rule->sign == p.property_direction;
  if (!direction_ok) why = "contradicts rule " + rule->id + " (" + rule->statement + ")";
  bool premise_ok = true;
  if (!p.general) {
    double actual = values_of(p.quantity, f)[0];
    if (p.comparison && p.value && *p.comparison != Comparison::eq)
      premise_ok = compare(actual, *p.comparison, *p.value, 0);
    else if (p.value)
      premise_ok = compare(actual, Comparison::approx, *p.value, claim_tolerance(p.quantity, *p.value));
    else
      premise_ok = premise_direction > 0 ? actual > midpoint : actual < midpoint;
    if (!premise_ok && why.empty())
      why = std::string("premise false: RDKit ") + quantity_name(p.quantity) + " = " + fmt(actual);
  }
  bool answer_ok = true;
  if (!p.general && context.asked && *context.asked == p.property && context.answer_label) {
    answer_ok = (p.property_direction > 0) == *context.answer_label;
    if (!answer_ok && why.empty()) why = "conclusion disagrees with the final answer";
  }
  v.holds = direction_ok && premise_ok && answer_ok;
  v.reason = said + ": " + (v.holds ? "consistent with rule " + rule->id + " [" + rule->source + "]" : why);
  return v;
}

}  // namespace retort::chem
