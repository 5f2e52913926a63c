// The chemistry tools over the chem/ toolkit (RDKit, Open Babel): canonicalize_smiles, molecular_weight,
// molecular_formula, functional_groups, similarity, descriptors, lipinski, substructure_match,
// murcko_scaffold, conformer_3d, safety_check. Every SMILES argument is capped in length and parsed with
// RDKit's reason in the error.
#pragma once
#include <memory>
#include <vector>

#include "tools/tool.h"

namespace retort::tools {

constexpr int kMaxSmilesLength = 500;
constexpr int kMaxConformerHeavyAtoms = 80;

std::vector<std::shared_ptr<Tool>> make_chemistry_tools();

}  // namespace retort::tools
