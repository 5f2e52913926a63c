// Descriptors: RDKit C++ calculators called exactly as Python RDKit's Descriptors / Crippen /
// rdMolDescriptors / Lipinski wrappers call them (same defaults), plus the QED and SA ports.
#include "chem/descriptors.h"

#include "chem/guard.h"

#include <GraphMol/Descriptors/Crippen.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/Descriptors/MolSurf.h>
#include <GraphMol/ROMol.h>

namespace retort::chem {

double mol_wt(const Molecule& mol) {
  return guarded("MolWt", mol, [&] { return RDKit::Descriptors::calcAMW(mol.rdkit()); });
}
double logp(const Molecule& mol) {
  return guarded("logP", mol, [&] { return RDKit::Descriptors::calcClogP(mol.rdkit()); });
}
double tpsa(const Molecule& mol) {
  return guarded("TPSA", mol, [&] { return RDKit::Descriptors::calcTPSA(mol.rdkit()); });
}

Descriptors compute_descriptors(const Molecule& mol) {
  return guarded("descriptors", mol, [&] {
    const RDKit::ROMol& m = mol.rdkit();
    Descriptors d;
    d.mol_wt = RDKit::Descriptors::calcAMW(m);           // Descriptors.MolWt
    d.exact_mass = RDKit::Descriptors::calcExactMW(m);   // Descriptors.ExactMolWt
    RDKit::Descriptors::calcCrippenDescriptors(m, d.logp, d.mr);  // includeHs=true, as Crippen.MolLogP/MolMR
    d.tpsa = RDKit::Descriptors::calcTPSA(m);            // includeSandP=false, as CalcTPSA's default
    d.hbd = static_cast<int>(RDKit::Descriptors::calcNumHBD(m));
    d.hba = static_cast<int>(RDKit::Descriptors::calcNumHBA(m));
    d.hbd_lipinski = static_cast<int>(RDKit::Descriptors::calcLipinskiHBD(m));
    d.hba_lipinski = static_cast<int>(RDKit::Descriptors::calcLipinskiHBA(m));
    d.rotatable_bonds = static_cast<int>(RDKit::Descriptors::calcNumRotatableBonds(m));
    d.fraction_csp3 = RDKit::Descriptors::calcFractionCSP3(m);
    d.lipinski_violations = (d.mol_wt > 500) + (d.logp > 5) + (d.hbd_lipinski > 5) + (d.hba_lipinski > 10);
    d.qed = qed(mol);
    d.sa_score = sa_score(mol);
    return d;
  });
}

}  // namespace retort::chem
