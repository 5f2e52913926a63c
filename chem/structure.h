// Structure queries: Morgan fingerprints and Tanimoto, Bemis-Murcko scaffolds, SMARTS patterns.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chem/molecule.h"

namespace retort::chem {

using Fingerprint = std::vector<uint64_t>;  // bit vector, 64 bits per word

Fingerprint morgan_fingerprint(const Molecule& mol, int radius = 2, int bits = 2048);
double tanimoto(const Fingerprint& a, const Fingerprint& b);
// Canonical SMILES of the Bemis-Murcko scaffold ("" for acyclic molecules).
std::string murcko_scaffold(const Molecule& mol);

class SmartsPattern {
 public:
  // Throws ChemError "SMARTS '...' does not parse" on bad input.
  static SmartsPattern parse(const std::string& smarts);
  bool matches(const Molecule& mol) const;
  int count_matches(const Molecule& mol) const;  // unique matches
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<RDKit::ROMol> query_;
};

}  // namespace retort::chem
