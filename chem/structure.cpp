// Structure queries: Morgan bit fingerprints and Tanimoto (as DataStructs), Bemis-Murcko scaffolds
// (as MurckoScaffold.MurckoScaffoldSmiles) and SMARTS patterns with RDKit's parse reason on failure.
#include "chem/structure.h"

#include <DataStructs/ExplicitBitVect.h>
#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmartsWrite.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include <bit>
#include <memory>

#include "chem/guard.h"
#include "chem/rdkit_log.h"

namespace retort::chem {

Fingerprint morgan_fingerprint(const Molecule& mol, int radius, int bits) {
  return guarded("Morgan fingerprint", mol, [&] {
    if (radius < 0 || radius > 10) throw ChemError("morgan_fingerprint: radius must be 0..10, got " + std::to_string(radius));
    if (bits <= 0 || bits > (1 << 24)) throw ChemError("morgan_fingerprint: bits must be 1..16777216, got " + std::to_string(bits));
    std::unique_ptr<ExplicitBitVect> bv(RDKit::MorganFingerprints::getFingerprintAsBitVect(
        mol.rdkit(), static_cast<unsigned>(radius), static_cast<unsigned>(bits)));
    Fingerprint fp((static_cast<size_t>(bits) + 63) / 64, 0);
    std::vector<int> on;
    bv->getOnBits(on);
    for (int bit : on) fp[static_cast<size_t>(bit) / 64] |= uint64_t{1} << (bit % 64);
    return fp;
  });
}

double tanimoto(const Fingerprint& a, const Fingerprint& b) {
  if (a.size() != b.size()) {
    throw ChemError("tanimoto: fingerprints differ in length (" + std::to_string(a.size() * 64) + " vs " +
                    std::to_string(b.size() * 64) + " bits)");
  }
  int both = 0, either = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    both += std::popcount(a[i] & b[i]);
    either += std::popcount(a[i] | b[i]);
  }
  return either == 0 ? 1.0 : static_cast<double>(both) / either;  // DataStructs: two empty vectors -> 1.0
}

std::string murcko_scaffold(const Molecule& mol) {
  return guarded("Murcko scaffold", mol, [&] {
    std::unique_ptr<RDKit::ROMol> scaffold(RDKit::MurckoDecompose(mol.rdkit()));
    if (!scaffold) return std::string();
    // As GetScaffoldForMol: clear computed props, update the property cache, symmetrised SSSR.
    scaffold->clearComputedProps();
    scaffold->updatePropertyCache();
    RDKit::MolOps::symmetrizeSSSR(*scaffold);
    return RDKit::MolToSmiles(*scaffold, /*doIsomericSmiles=*/false);
  });
}

SmartsPattern SmartsPattern::parse(const std::string& smarts) {
  std::string shown = smarts.size() > 80 ? smarts.substr(0, 77) + "..." : smarts;
  for (char& ch : shown) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  if (smarts.empty()) throw ChemError("SMARTS '' does not parse: empty string");
  if (smarts.size() > 5000) throw ChemError("SMARTS '" + shown + "' does not parse: longer than 5000 characters");
  capture_rdkit_logs();
  clear_rdkit_log();
  RDKit::ROMol* raw = nullptr;
  try {
    raw = RDKit::SmartsToMol(smarts);
  } catch (const std::exception& e) {
    clear_rdkit_log();
    throw ChemError("SMARTS '" + shown + "' does not parse: " + e.what());
  }
  if (!raw) {
    std::string reason = take_rdkit_log();
    throw ChemError("SMARTS '" + shown + "' does not parse: " + (reason.empty() ? "syntax error" : reason));
  }
  clear_rdkit_log();
  SmartsPattern pattern;
  pattern.text_ = smarts;
  pattern.query_.reset(raw);
  return pattern;
}

bool SmartsPattern::matches(const Molecule& mol) const {
  return guarded("SMARTS match", mol, [&] {
    RDKit::MatchVectType match;
    return RDKit::SubstructMatch(mol.rdkit(), *query_, match);
  });
}

int SmartsPattern::count_matches(const Molecule& mol) const {
  return guarded("SMARTS match", mol, [&] {
    std::vector<RDKit::MatchVectType> matches;
    return static_cast<int>(RDKit::SubstructMatch(mol.rdkit(), *query_, matches, /*uniquify=*/true));
  });
}

}  // namespace retort::chem
