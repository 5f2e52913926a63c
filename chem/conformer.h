// 3D structures: Open Babel (OBBuilder + MMFF94, UFF fallback) or RDKit ETKDG; XYZ text out.
#pragma once
#include <string>

#include "chem/molecule.h"

namespace retort::chem {

enum class ConformerMethod { openbabel_mmff94, rdkit_etkdg };

// XYZ file text (with explicit hydrogens). Throws ChemError when embedding fails.
std::string conformer_xyz(const Molecule& mol, ConformerMethod method = ConformerMethod::openbabel_mmff94,
                          unsigned seed = 42);

}  // namespace retort::chem
