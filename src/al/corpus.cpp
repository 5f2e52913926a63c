// Loading the pretraining corpus (corpus.h).
#include "al/corpus.h"

#include <algorithm>

#include "chem/molecule.h"
#include "core/errors.h"
#include "datasets/csv_reader.h"

namespace retort::al {

std::unordered_set<std::string> Corpus::canonical_set() const {
  std::unordered_set<std::string> out;
  for (const auto& m : molecules)
    if (!m.canonical.empty()) out.insert(m.canonical);
  return out;
}

Corpus load_corpus(const std::string& path, ObjectiveKind objective, int max_rows, bool canonicalise,
                   int max_heavy_atoms) {
  auto table = datasets::read_csv_file(path);
  auto column = [&](std::initializer_list<const char*> names) -> int {
    for (const char* name : names) {
      auto it = std::find(table.header.begin(), table.header.end(), name);
      if (it != table.header.end()) return static_cast<int>(it - table.header.begin());
    }
    return -1;
  };
  int smiles_col = column({"molecule", "SMILES", "smiles"});
  if (smiles_col < 0) throw DataError(path + ": no SMILES column (molecule, SMILES or smiles)");
  bool druglike = objective == ObjectiveKind::druglike;
  int fosc_col = column({"f_osc"}), wl_col = column({"wavelength"});
  if (!druglike && (fosc_col < 0 || wl_col < 0))
    throw DataError(path + ": the " + std::string(objective_name(objective)) + " objective needs columns f_osc and wavelength");
  Corpus corpus;
  for (const auto& row : table.rows) {
    if (static_cast<int>(corpus.molecules.size()) >= max_rows) break;
    const auto& cells = row.fields;
    if (static_cast<int>(cells.size()) <= smiles_col || cells[smiles_col].empty()) {
      ++corpus.skipped;
      continue;
    }
    CorpusMolecule m;
    m.smiles = cells[smiles_col];
    if (druglike || canonicalise || max_heavy_atoms > 0) {
      auto mol = chem::Molecule::try_from_smiles(m.smiles);
      if (!mol) {
        ++corpus.skipped;
        continue;
      }
      if (max_heavy_atoms > 0 && mol->heavy_atoms() > max_heavy_atoms) continue;  // not counted as skipped
      if (canonicalise) m.canonical = mol->canonical_smiles();
      if (druglike) {
        auto props = druglike_properties(m.smiles);
        if (!props) {
          ++corpus.skipped;
          continue;
        }
        m.props = *props;
      }
    }
    if (!druglike) {
      try {
        m.props["f_osc"] = std::stod(cells.at(fosc_col));
        m.props["wavelength"] = std::stod(cells.at(wl_col));
      } catch (const std::exception&) {
        ++corpus.skipped;
        continue;
      }
    }
    corpus.molecules.push_back(std::move(m));
  }
  if (corpus.molecules.empty()) throw DataError(path + ": no usable rows");
  return corpus;
}

}  // namespace retort::al
