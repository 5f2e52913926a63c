// 3D structures: Open Babel (OBBuilder + MMFF94, UFF fallback) or RDKit ETKDG; XYZ text out.
#pragma once
#include <string>

#include "chem/molecule.h"

namespace retort::chem {

enum class ConformerMethod { openbabel_mmff94, rdkit_etkdg };

// XYZ file text (with explicit hydrogens; comment line = canonical SMILES). Atom order: the
// Molecule's atoms (RDKit indices), then the added hydrogens grouped by parent atom, as
// RDKit's MolOps::addHs orders them, for both methods. Throws ChemError when
// embedding fails. SEED drives ETKDG; Open Babel's builder is deterministic and ignores it. Open Babel
// work is serialised by a process-wide lock (its globals are not thread-safe); RDKit runs in parallel.
std::string conformer_xyz(const Molecule& mol, ConformerMethod method = ConformerMethod::openbabel_mmff94,
                          unsigned seed = 42);

}  // namespace retort::chem
