// Molecular descriptors equal to Python RDKit's (Descriptors, Crippen, rdMolDescriptors, Lipinski,
// QED, SA score). QED and SA are ports (RDKit C++ has neither).
#pragma once
#include "chem/molecule.h"

namespace retort::chem {

struct Descriptors {
  double mol_wt = 0;          // Descriptors.MolWt
  double exact_mass = 0;      // Descriptors.ExactMolWt
  double logp = 0;            // Crippen.MolLogP
  double mr = 0;              // Crippen.MolMR
  double tpsa = 0;            // rdMolDescriptors.CalcTPSA
  int hbd = 0;                // rdMolDescriptors.CalcNumHBD
  int hba = 0;                // rdMolDescriptors.CalcNumHBA
  int hbd_lipinski = 0;       // Lipinski.NHOHCount (rdMolDescriptors.CalcNumLipinskiHBD; Lipinski's rule-of-5 count)
  int hba_lipinski = 0;       // Lipinski.NOCount (rdMolDescriptors.CalcNumLipinskiHBA; Lipinski's rule-of-5 count)
  int rotatable_bonds = 0;    // rdMolDescriptors.CalcNumRotatableBonds (default: strict)
  double fraction_csp3 = 0;   // rdMolDescriptors.CalcFractionCSP3
  int lipinski_violations = 0;  // MW > 500, logP > 5, HBD > 5, HBA > 10 (Lipinski definitions)
  double qed = 0;             // QED.qed
  double sa_score = 0;        // Contrib SA_Score sascorer.calculateScore
};

Descriptors compute_descriptors(const Molecule& mol);
// Single descriptors, when the whole set is not needed (same values as the fields above).
double mol_wt(const Molecule& mol);
double logp(const Molecule& mol);
double tpsa(const Molecule& mol);
double qed(const Molecule& mol);
double sa_score(const Molecule& mol);

}  // namespace retort::chem
