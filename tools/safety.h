// safety_check's screen (as ChemCrow's): hazard SMARTS (energetic/explosive groups and chemical-weapon
// motifs, tools/data/hazard_smarts.tsv) and similarity to the chemical-weapon agents and precursors the
// project ships (tools/data/chemical_weapons.tsv, CWC schedules): Morgan r=2/2048 Tanimoto above a
// threshold (0.35 by default, as ChemCrow) for agents - when the molecule also contains every heteroatom
// element of the agent - and identity for common industrial precursors.
// A screen, not a guarantee: "safe" means none of these rules fired.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "chem/molecule.h"

namespace retort::tools {

struct ListedChemical {
  std::string name, schedule, chemical_class, smiles;
  bool similarity = false;  // false: identity only
};

struct HazardPattern {
  std::string name, category, smarts, reason;
  int min_count = 1;
};

struct SafetyReport {
  bool safe = true;
  std::vector<std::string> reasons;   // one line per rule that fired
  std::string nearest_listed;         // the similarity-screened entry closest to the molecule
  double nearest_tanimoto = 0;
};

// The compiled-in TSV texts (generated from tools/data by CMake).
std::string_view chemical_weapons_tsv();
std::string_view hazard_smarts_tsv();

// Parsed lists; throw std::runtime_error naming the line on a malformed row.
const std::vector<ListedChemical>& listed_chemicals();
const std::vector<HazardPattern>& hazard_patterns();

SafetyReport safety_check(const chem::Molecule& mol, double similarity_threshold = 0.35);

}  // namespace retort::tools
