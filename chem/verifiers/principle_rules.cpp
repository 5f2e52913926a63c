// The principle rule table (see principle_rules.h). Thresholds are the published ones where a paper
// gives one (Lipinski, Veber, TPSA 90 for the brain); "high"/"low" cut-offs for direction-only rules
// are retort's choice and say so.
#include "chem/verifiers/principle_rules.h"

namespace retort::chem {

const std::vector<PrincipleRule>& principle_rules() {
  static const std::string lipinski = "Lipinski et al., Adv. Drug Deliv. Rev. 23 (1997) 3-25 (rule of five)";
  static const std::string veber = "Veber et al., J. Med. Chem. 45 (2002) 2615-2623";
  static const std::string delaney = "Delaney, J. Chem. Inf. Comput. Sci. 44 (2004) 1000-1005 (ESOL: logS falls with clogP and MW)";
  static const std::string brain = "Kelder et al., Pharm. Res. 16 (1999) 1514-1519; Hitchcock & Pennington, J. Med. Chem. 49 (2006) 7559-7583";
  static const std::vector<PrincipleRule> rules = {
      {"logp_solubility", Quantity::logp, Property::solubility, -1, 3.0, 1.0,
       "higher logP -> lower aqueous solubility (high/low cut-offs 3/1 are retort's)", delaney},
      {"mw_solubility", Quantity::mol_wt, Property::solubility, -1, 500.0, 250.0,
       "higher molecular weight -> lower aqueous solubility (cut-offs 500/250 are retort's)", delaney},
      {"aromatic_rings_solubility", Quantity::aromatic_rings, Property::solubility, -1, 2.5, 1.5,
       "more aromatic rings -> lower aqueous solubility (>= 3 high, <= 1 low)",
       "Ritchie & Macdonald, Drug Discov. Today 14 (2009) 1011-1020"},
      {"tpsa_bbb", Quantity::tpsa, Property::bbb_penetration, -1, 90.0, 60.0,
       "TPSA > 90 A^2 -> poor blood-brain barrier penetration (< 60 favourable)", brain},
      {"hbd_bbb", Quantity::hbd, Property::bbb_penetration, -1, 3.0, 1.5,
       "more H-bond donors -> poorer blood-brain barrier penetration (> 3 high)", brain},
      {"hbd_lipinski", Quantity::hbd, Property::lipinski_violation, +1, 5.0, 5.0001,
       "HBD > 5 -> Lipinski violation", lipinski},
      {"hba_lipinski", Quantity::hba, Property::lipinski_violation, +1, 10.0, 10.0001,
       "HBA > 10 -> Lipinski violation", lipinski},
      {"mw_lipinski", Quantity::mol_wt, Property::lipinski_violation, +1, 500.0, 500.0001,
       "MW > 500 -> Lipinski violation", lipinski},
      {"logp_lipinski", Quantity::logp, Property::lipinski_violation, +1, 5.0, 5.0001,
       "logP > 5 -> Lipinski violation", lipinski},
      {"tpsa_absorption", Quantity::tpsa, Property::oral_absorption, -1, 140.0, 140.0001,
       "TPSA > 140 A^2 -> poor oral bioavailability", veber},
      {"rotatable_absorption", Quantity::rotatable_bonds, Property::oral_absorption, -1, 10.0, 10.0001,
       "more than 10 rotatable bonds -> poor oral bioavailability", veber},
  };
  return rules;
}

const PrincipleRule* find_rule(Quantity quantity, Property property) {
  for (const auto& r : principle_rules())
    if (r.quantity == quantity && r.property == property) return &r;
  return nullptr;
}

}  // namespace retort::chem
