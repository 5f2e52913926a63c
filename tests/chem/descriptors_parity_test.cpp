// Descriptors, QED and SA score against Python RDKit (python3-rdkit 2022.09, QED.py, Contrib
// sascorer.py) on 1,000 ZINC molecules, plus pinned known values (aspirin).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <filesystem>
#include <fstream>

#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/structure.h"
#include "molecule_rdkit_reference.h"

using namespace retort::chem;
using namespace retort::chem::testing;

TEST(Descriptors, AspirinKnownValues) {
  auto d = compute_descriptors(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  EXPECT_NEAR(d.mol_wt, 180.159, 1e-3);
  EXPECT_NEAR(d.exact_mass, 180.042259, 1e-6);
  EXPECT_NEAR(d.tpsa, 63.6, 1e-9);
  EXPECT_NEAR(d.logp, 1.3101, 1e-9);
  EXPECT_NEAR(d.qed, 0.550, 5e-4);            // QED.qed -> 0.5501217966938848
  EXPECT_NEAR(d.qed, 0.5501217966938848, 1e-12);
  EXPECT_NEAR(d.sa_score, 1.580039750008826, 1e-12);  // sascorer.calculateScore
  EXPECT_EQ(d.hbd, 1);
  EXPECT_EQ(d.hba, 3);
  EXPECT_EQ(d.hbd_lipinski, 1);
  EXPECT_EQ(d.hba_lipinski, 4);
  EXPECT_EQ(d.rotatable_bonds, 2);
  EXPECT_NEAR(d.fraction_csp3, 1.0 / 9, 1e-12);
  EXPECT_EQ(d.lipinski_violations, 0);
}

TEST(Descriptors, LipinskiViolationsCounted) {
  // Cyclosporin-like big lipophilic peptide mimic: MW > 500, logP > 5 (Python: MolWt 703.0, MolLogP 10.3).
  auto d = compute_descriptors(Molecule::from_smiles("CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"));
  EXPECT_GT(d.mol_wt, 500);
  EXPECT_GT(d.logp, 5);
  EXPECT_EQ(d.lipinski_violations, 2);
}

TEST(Descriptors, EqualPythonRdkitOnZinc1000) {
  auto smiles = read_smiles(zinc_1000_path());
  ASSERT_EQ(smiles.size(), 1000u) << zinc_1000_path();
  auto ref = rdkit_reference(zinc_1000_path());
  ASSERT_EQ(ref.size(), smiles.size());
  // Columns of rdkit_reference.py.
  enum { kMolWt = 9, kExact, kLogP, kMR, kTPSA, kHBD, kHBA, kHBDLip, kHBALip, kRotB, kFsp3, kQED, kSA };
  double max_diff[13] = {};
  int int_mismatches = 0;
  for (size_t i = 0; i < smiles.size(); ++i) {
    const auto& r = ref[i];
    ASSERT_EQ(r.f.at(0), smiles[i]);
    auto d = compute_descriptors(Molecule::from_smiles(smiles[i]));
    const double got[] = {d.mol_wt, d.exact_mass, d.logp, d.mr, d.tpsa, 0, 0, 0, 0, 0, d.fraction_csp3, d.qed, d.sa_score};
    for (int c : {kMolWt, kExact, kLogP, kMR, kTPSA, kFsp3, kQED, kSA}) {
      max_diff[c - kMolWt] = std::max(max_diff[c - kMolWt], std::abs(got[c - kMolWt] - r.d(c)));
    }
    const int ints[][2] = {{d.hbd, r.n(kHBD)}, {d.hba, r.n(kHBA)}, {d.hbd_lipinski, r.n(kHBDLip)},
                           {d.hba_lipinski, r.n(kHBALip)}, {d.rotatable_bonds, r.n(kRotB)}};
    for (const auto& p : ints) {
      if (p[0] != p[1]) {
        ++int_mismatches;
        ADD_FAILURE() << smiles[i] << ": count " << p[0] << " vs Python " << p[1];
      }
    }
    const int lipinski = (r.d(kMolWt) > 500) + (r.d(kLogP) > 5) + (r.n(kHBDLip) > 5) + (r.n(kHBALip) > 10);
    EXPECT_EQ(d.lipinski_violations, lipinski) << smiles[i];
  }
  const char* names[] = {"MolWt", "ExactMolWt", "MolLogP", "MolMR", "TPSA", "", "", "", "", "", "FractionCSP3", "QED", "SA"};
  for (int c : {kMolWt, kExact, kLogP, kMR, kTPSA, kFsp3, kQED, kSA}) {
    std::printf("max |retort - Python RDKit| %-12s %.3g\n", names[c - kMolWt], max_diff[c - kMolWt]);
    // ExactMolWt goes through repr() with 12 significant digits in Python's print: allow 1e-9.
    EXPECT_LE(max_diff[c - kMolWt], (c == kQED || c == kSA) ? 1e-6 : 1e-9) << names[c - kMolWt];
  }
  EXPECT_EQ(int_mismatches, 0);
}

TEST(Descriptors, EqualPythonRdkitOnUnusualMolecules) {
  // Explicit and isotopic hydrogens (QED's RemoveHs path), charges, salts, metals, isotopes,
  // macrocycles, spiro and bridged rings (SA penalties), stereo, long chains.
  const std::vector<std::string> smiles = {
      "[H]OC([H])([H])C", "[2H]C([2H])([2H])Oc1ccccc1", "C[N+](C)(C)CCOC(C)=O.[Cl-]", "[Na+].CC(=O)[O-]",
      "O=C1CCCCCCCCCCCCCC1", "C1CCC2(CC1)CCCCC2", "C1CC2CCC1C2", "C12C3C4C1C5C2C3C45",
      "C[C@H](N)C(=O)O", "F/C=C/F", "CCCCCCCCCCCCCCCCCCCC(=O)O", "[13CH3]C(=O)O", "c1ccc2c(c1)[nH]c1ccccc12",
      "O=[N+]([O-])c1ccc(I)cc1", "CP(C)(=O)OC", "C[Si](C)(C)Cl", "[Fe+2]", "OB(O)c1ccccc1", "C#CC(=O)OC",
      "CC1(C)S[C@@H]2[C@H](NC(=O)Cc3ccccc3)C(=O)N2[C@H]1C(=O)O"};
  auto path = (std::filesystem::temp_directory_path() / "retort_chem_unusual.smi").string();
  {
    std::ofstream out(path);
    for (const auto& s : smiles) out << s << "\n";
  }
  auto ref = rdkit_reference(path);
  ASSERT_EQ(ref.size(), smiles.size());
  for (size_t i = 0; i < smiles.size(); ++i) {
    SCOPED_TRACE(smiles[i]);
    const auto& r = ref[i];
    auto m = Molecule::from_smiles(smiles[i]);
    auto d = compute_descriptors(m);
    EXPECT_EQ(m.canonical_smiles(), r.f.at(1));
    EXPECT_EQ(m.formula(), r.f.at(3));
    EXPECT_EQ(m.stereocentres(), r.n(8));
    EXPECT_NEAR(d.mol_wt, r.d(9), 1e-9);
    EXPECT_NEAR(d.logp, r.d(11), 1e-9);
    EXPECT_NEAR(d.mr, r.d(12), 1e-9);
    EXPECT_NEAR(d.tpsa, r.d(13), 1e-9);
    EXPECT_EQ(d.hbd, r.n(14));
    EXPECT_EQ(d.hba, r.n(15));
    EXPECT_EQ(d.rotatable_bonds, r.n(18));
    EXPECT_NEAR(d.qed, r.d(20), 1e-9);
    EXPECT_NEAR(d.sa_score, r.d(21), 1e-9);
  }
  std::filesystem::remove(path);
}

TEST(Descriptors, SameValuesFromSeveralThreads) {
  // QED alerts, Crippen types and functional groups are shared compiled SMARTS (some recursive):
  // four threads on their own molecules must get the single-threaded answers.
  auto smiles = read_smiles(zinc_1000_path());
  ASSERT_GE(smiles.size(), 200u);
  smiles.resize(200);
  struct Values {
    double qed, sa, logp;
    size_t groups;
    std::string scaffold;
  };
  auto values_of = [](const std::string& s) {
    auto m = Molecule::from_smiles(s);
    auto d = compute_descriptors(m);
    return Values{d.qed, d.sa_score, d.logp, functional_groups(m).size(), murcko_scaffold(m)};
  };
  std::vector<Values> expected;
  for (const auto& s : smiles) expected.push_back(values_of(s));
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < smiles.size(); i += 2) {  // threads overlap on molecules
        Values v = values_of(smiles[i]);
        const Values& e = expected[i];
        if (v.qed != e.qed || v.sa != e.sa || v.logp != e.logp || v.groups != e.groups || v.scaffold != e.scaffold) {
          ++wrong[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}
