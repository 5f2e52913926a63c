// A named catalogue of functional groups (RDKit's FunctionalGroups.txt plus common organic groups),
// each a SMARTS pattern; used by verifiers, tools and cold-start traces.
#pragma once
#include <string>
#include <vector>

#include "chem/molecule.h"

namespace retort::chem {

struct FunctionalGroup {
  std::string name;    // "carboxylic_acid", "primary_amine", ...
  std::string smarts;
  std::string source;  // "RDKit FunctionalGroups.txt" or "retort"
};

const std::vector<FunctionalGroup>& functional_group_catalogue();
// Names of every catalogue group present in MOL, in catalogue order.
std::vector<std::string> functional_groups(const Molecule& mol);
// Throws ChemError for a name not in the catalogue.
bool has_functional_group(const Molecule& mol, const std::string& name);
// Unique SMARTS matches; "aromatic_ring" and "heteroaromatic_ring" count rings (RDKit's
// CalcNumAromaticRings / CalcNumAromaticHeterocycles), not atoms.
int count_functional_group(const Molecule& mol, const std::string& name);

}  // namespace retort::chem
