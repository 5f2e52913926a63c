// Rooted SMILES variants for pretraining augmentation (smiles_variants.h).
#include "al/smiles_variants.h"

#include <GraphMol/ROMol.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "chem/molecule.h"

namespace retort::al {
namespace {

std::string write_rooted(const RDKit::ROMol& mol, int root) {
  return RDKit::MolToSmiles(mol, /*doIsomericSmiles=*/true, /*doKekule=*/false, /*rootedAtAtom=*/root);
}

}  // namespace

std::string smiles_rooted_at(const std::string& smiles, int root) {
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol || root < 0 || root >= static_cast<int>(mol->rdkit().getNumAtoms())) return "";
  return write_rooted(mol->rdkit(), root);
}

std::vector<std::string> smiles_variants(const std::string& smiles, int count, std::mt19937_64& rng) {
  std::vector<std::string> out;
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol || count <= 0) return out;
  std::vector<int> roots(mol->rdkit().getNumAtoms());
  std::iota(roots.begin(), roots.end(), 0);
  std::shuffle(roots.begin(), roots.end(), rng);
  std::unordered_set<std::string> seen{smiles};
  for (int root : roots) {
    if (static_cast<int>(out.size()) >= count) break;
    std::string text = write_rooted(mol->rdkit(), root);
    if (seen.insert(text).second) out.push_back(std::move(text));
  }
  return out;
}

}  // namespace retort::al
