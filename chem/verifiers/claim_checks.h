// Checking extracted claims against the molecule with chem/ (RDKit): the facts a claim can be about,
// per-claim verdicts with reasons, and the claim-based reward components (structure,
// property_consistency, principle, perception).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chem/molecule.h"
#include "chem/verifiers/claims.h"

namespace retort::chem {

struct MoleculeFacts {
  double mol_wt = 0, logp = 0, tpsa = 0;
  int hbd = 0, hba = 0;                    // rdMolDescriptors.CalcNumHBD / CalcNumHBA
  int hbd_lipinski = 0, hba_lipinski = 0;  // Lipinski NHOHCount / NOCount (either definition is accepted)
  int rotatable_bonds = 0, rings = 0, aromatic_rings = 0, heavy_atoms = 0, net_charge = 0;
  int nitrogen_atoms = 0, oxygen_atoms = 0, sulfur_atoms = 0, halogen_atoms = 0, charged_atoms = 0;
  int lipinski_violations = 0, lipinski_violations_alt = 0;  // Lipinski counts / CalcNumHBD-HBA counts
  std::map<std::string, int> group_counts;  // every group_terms() name -> unique SMARTS matches
};

MoleculeFacts molecule_facts(const Molecule& mol);

// What the answer says, for principle claims whose property is the one the task asks about.
struct AnswerContext {
  std::optional<Property> asked;      // bbbp -> bbb_penetration
  std::optional<bool> answer_label;   // the final answer's yes/no
};

struct ClaimVerdict {
  bool checkable = false;  // false: ignored (no rule for it, or an in-between premise)
  bool holds = false;
  std::string reason;
};

ClaimVerdict check_claim(const Claim& claim, const MoleculeFacts& facts, const AnswerContext& context);

// Which component a claim feeds: "structure", "property_consistency" or "principle".
const char* claim_component(const Claim& claim);
// Claims a reader of the picture can check: ring counts, heteroatom counts, charged atoms.
bool is_perception_claim(const Claim& claim);

// Tolerance for "=" and "~" claims: mol_wt max(1, 1%), logP 0.5, TPSA max(5, 10%), counts exact.
double claim_tolerance(Quantity q, double value);

}  // namespace retort::chem
