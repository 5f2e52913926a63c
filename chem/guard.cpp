// Messages for guarded() (see guard.h).
#include "chem/guard.h"

#include <GraphMol/SmilesParse/SmilesWrite.h>

namespace retort::chem {

std::string smiles_for_message(const Molecule& mol) {
  std::string s;
  try {
    s = RDKit::MolToSmiles(mol.rdkit(), true, false, -1, /*canonical=*/false);
  } catch (...) {
    return "<molecule>";
  }
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return "'" + s + "'";
}

std::string failure_message(const char* operation, const Molecule& mol, const char* what) {
  std::string msg = std::string(operation) + " of " + smiles_for_message(mol) + " failed: " + what;
  for (char& ch : msg) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  return msg;
}

}  // namespace retort::chem
