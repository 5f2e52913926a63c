// The generator's pretraining corpus: SMILES with the properties its conditions are made of.
// Conjugated-xTB CSV (columns `molecule`, `f_osc`, `wavelength`: sTDA-xTB labels) for the oracle
// objectives; a SMILES-only CSV (ZINC, column `SMILES`) for druglike, with QED and SA computed here.
// Torch-free.
#pragma once
#include <string>
#include <unordered_set>
#include <vector>

#include "al/objective.h"

namespace retort::al {

struct CorpusMolecule {
  std::string smiles;     // as in the file
  std::string canonical;  // RDKit canonical (empty when not computed)
  Properties props;
};

struct Corpus {
  std::vector<CorpusMolecule> molecules;
  int skipped = 0;  // rows whose SMILES did not parse or lacked a label
  std::unordered_set<std::string> canonical_set() const;
};

// Reads the first MAX_ROWS usable rows of PATH for OBJECTIVE. With CANONICALISE every SMILES is parsed
// (rows that do not parse are skipped). Throws DataError naming the file and the missing column.
// MAX_HEAVY_ATOMS > 0 keeps only molecules that small (parses every row).
Corpus load_corpus(const std::string& path, ObjectiveKind objective, int max_rows, bool canonicalise,
                   int max_heavy_atoms = 0);

}  // namespace retort::al
