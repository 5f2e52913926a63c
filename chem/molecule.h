// Molecule: an RDKit molecule parsed from untrusted SMILES, with the identity facts verifiers and tools
// ask for. Narrow public header: RDKit types stay forward-declared so users compile fast.
#pragma once
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace RDKit {
class ROMol;
}

namespace retort::chem {

// Any chemistry failure with a reason a user can act on ("SMILES 'C1CC' does not parse: unclosed ring").
struct ChemError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Threads: parsing (from_smiles, try_from_smiles) is safe from any number of threads at once. One
// Molecule (and its copies, which share the RDKit molecule) must be used by one thread at a time:
// RDKit caches computed properties on the molecule.
class Molecule {
 public:
  // Parses SMILES (syntax, valence and kekulisation errors all become ChemError with RDKit's reason).
  // Whitespace at either end is ignored; any other byte that is not printable ASCII (whitespace inside,
  // as in RDKit's "SMILES name" form, control bytes, NUL, non-ASCII) is a ChemError naming the byte and
  // its 1-based position: RDKit would silently read only part of such a string.
  static Molecule from_smiles(const std::string& smiles);
  // The same without throwing: nullopt and *error set on failure.
  static std::optional<Molecule> try_from_smiles(const std::string& smiles, std::string* error = nullptr);

  std::string canonical_smiles(bool isomeric = true) const;
  Molecule largest_fragment() const;  // by heavy-atom count, RDKit's LargestFragmentChooser
                                      // (countHeavyAtomsOnly; ties broken by RDKit's rules)
  std::string formula() const;        // Hill order, as RDKit's CalcMolFormula ("C9H8O4")
  int heavy_atoms() const;
  int formal_charge() const;          // net charge
  int ring_count() const;             // SSSR rings
  int aromatic_ring_count() const;
  int stereocentres() const;          // assigned and unassigned tetrahedral centres
  std::string inchikey() const;       // through Open Babel's inchikey format

  const RDKit::ROMol& rdkit() const { return *mol_; }
  explicit Molecule(std::shared_ptr<RDKit::ROMol> mol) : mol_(std::move(mol)) {}

 private:
  std::shared_ptr<RDKit::ROMol> mol_;
};

}  // namespace retort::chem
