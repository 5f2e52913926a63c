// Fuzz target: SMILES handling through chem/: parse (molecule.h), canonical SMILES, formula and counts,
// the largest fragment, descriptors (descriptors.h, QED and SA included), functional groups, Murcko
// scaffold and Morgan fingerprint (structure.h).
// Invariants: parsing gives a molecule or a one-line ChemError; everything computed on a parsed
// molecule either succeeds or throws ChemError (no other exception, no crash); descriptors are finite;
// a canonical SMILES (no '~' query bonds) parses again, to the same formula, and its own canonical form is stable
// (RDKit's canonicaliser is checked only where it was a fixed point once: canon(canon(x)) == canon(x)
// is asserted from the second round on); a molecule is its own nearest neighbour (Tanimoto 1).
#include <cmath>

#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/molecule.h"
#include "chem/structure.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace retort::chem;
  if (size > 300) return 0;  // drug-sized inputs; huge strings only slow RDKit's ring perception down
  std::string smiles(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto mol = Molecule::try_from_smiles(smiles, &error);
  if (!mol) {
    FUZZ_CHECK(!error.empty());
    FUZZ_CHECK(error.find('\n') == std::string::npos);
    return 0;
  }
  try {
    const std::string canonical = mol->canonical_smiles();
    const std::string formula = mol->formula();
    FUZZ_CHECK(mol->heavy_atoms() >= 0 && mol->ring_count() >= 0 && mol->aromatic_ring_count() >= 0);
    FUZZ_CHECK(mol->aromatic_ring_count() <= mol->ring_count());
    (void)mol->formal_charge();
    (void)mol->stereocentres();
    Molecule largest = mol->largest_fragment();
    FUZZ_CHECK(largest.heavy_atoms() <= mol->heavy_atoms());
    Descriptors d = compute_descriptors(*mol);
    for (double v : {d.mol_wt, d.exact_mass, d.logp, d.mr, d.tpsa, d.fraction_csp3, d.qed, d.sa_score})
      FUZZ_CHECK(std::isfinite(v));
    FUZZ_CHECK(d.mol_wt >= 0 && d.tpsa >= 0 && d.hbd >= 0 && d.hba >= 0);
    (void)functional_groups(*mol);
    (void)murcko_scaffold(*mol);
    auto fp = morgan_fingerprint(*mol);
    if (mol->heavy_atoms() > 0) FUZZ_CHECK(tanimoto(fp, fp) == 1.0);

    // Canonical SMILES round trip: it parses, to the same formula. Not for '~' (SMARTS "any bond", which
    // RDKit's SMILES parser accepts as a query bond and writes back; the re-parsed molecule gets other
    // implicit hydrogens: RDKit behaviour, found by this target, kept in the corpus as regress-query-bond).
    if (smiles.find('~') != std::string::npos) return 0;
    std::string again_error;
    auto again = Molecule::try_from_smiles(canonical, &again_error);
    if (!again) {
      std::fprintf(stderr, "canonical SMILES '%s' of '%s' does not parse: %s\n", canonical.c_str(), smiles.c_str(),
                   again_error.c_str());
    }
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->formula() == formula);
    const std::string canonical2 = again->canonical_smiles();
    auto third = Molecule::try_from_smiles(canonical2);
    FUZZ_CHECK(third.has_value());
    if (canonical2 == canonical) FUZZ_CHECK(third->canonical_smiles() == canonical);
  } catch (const ChemError& e) {
    FUZZ_CHECK(std::string(e.what()).find('\n') == std::string::npos);
  }
  return 0;
}
