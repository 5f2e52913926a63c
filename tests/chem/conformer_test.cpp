// 3D conformers: Open Babel (MMFF94) and RDKit ETKDG give XYZ text with every hydrogen and sane bond lengths.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <thread>
#include <vector>

#include "chem/conformer.h"

using namespace retort::chem;

namespace {

struct Atom3 {
  std::string el;
  double x, y, z;
};

std::vector<Atom3> parse_xyz(const std::string& xyz, std::string* title = nullptr) {
  std::istringstream in(xyz);
  size_t n = 0;
  in >> n;
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  if (title) *title = line;
  std::vector<Atom3> atoms;
  for (size_t i = 0; i < n; ++i) {
    Atom3 a;
    in >> a.el >> a.x >> a.y >> a.z;
    atoms.push_back(a);
  }
  return atoms;
}

double dist(const Atom3& a, const Atom3& b) {
  return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

// Shortest distance between an atom of element A and one of element B (distinct atoms).
double shortest(const std::vector<Atom3>& atoms, const std::string& a, const std::string& b) {
  double best = 1e9;
  for (size_t i = 0; i < atoms.size(); ++i)
    for (size_t j = 0; j < atoms.size(); ++j)
      if (i != j && atoms[i].el == a && atoms[j].el == b) best = std::min(best, dist(atoms[i], atoms[j]));
  return best;
}

}  // namespace

class ConformerBothMethods : public ::testing::TestWithParam<ConformerMethod> {};

TEST_P(ConformerBothMethods, EthaneHasEightAtomsAndSaneBonds) {
  std::string title;
  auto atoms = parse_xyz(conformer_xyz(Molecule::from_smiles("CC"), GetParam()), &title);
  ASSERT_EQ(atoms.size(), 8u);
  EXPECT_EQ(title, "CC");
  double cc = shortest(atoms, "C", "C");
  EXPECT_GT(cc, 1.45);
  EXPECT_LT(cc, 1.60);
  double ch = shortest(atoms, "C", "H");
  EXPECT_GT(ch, 1.05);
  EXPECT_LT(ch, 1.15);
}

TEST_P(ConformerBothMethods, AspirinAtomCountAndBonds) {
  auto atoms = parse_xyz(conformer_xyz(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"), GetParam()));
  ASSERT_EQ(atoms.size(), 21u);  // C9H8O4
  int h = 0;
  for (auto& a : atoms) h += a.el == "H";
  EXPECT_EQ(h, 8);
  double co = shortest(atoms, "C", "O");  // carbonyl C=O ~1.21
  EXPECT_GT(co, 1.18);
  EXPECT_LT(co, 1.26);
  // No two atoms collapsed together.
  for (size_t i = 0; i < atoms.size(); ++i)
    for (size_t j = i + 1; j < atoms.size(); ++j) EXPECT_GT(dist(atoms[i], atoms[j]), 0.85);
}

TEST_P(ConformerBothMethods, ChargedMoleculeKeepsItsHydrogens) {
  // Tetramethylammonium: C4H12N+, 17 atoms.
  auto atoms = parse_xyz(conformer_xyz(Molecule::from_smiles("C[N+](C)(C)C"), GetParam()));
  EXPECT_EQ(atoms.size(), 17u);
  double cn = shortest(atoms, "C", "N");
  EXPECT_GT(cn, 1.40);
  EXPECT_LT(cn, 1.58);
}

TEST_P(ConformerBothMethods, AtomsInMoleculeOrderThenHydrogens) {
  // Ethanol written O first: the XYZ must start O, C, C, then H (1 on O, 2 on C1, 3 on C2).
  auto atoms = parse_xyz(conformer_xyz(Molecule::from_smiles("OCC"), GetParam()));
  ASSERT_EQ(atoms.size(), 9u);
  EXPECT_EQ(atoms[0].el, "O");
  EXPECT_EQ(atoms[1].el, "C");
  EXPECT_EQ(atoms[2].el, "C");
  for (size_t i = 3; i < 9; ++i) EXPECT_EQ(atoms[i].el, "H");
  EXPECT_LT(dist(atoms[3], atoms[0]), 1.05);  // first hydrogen sits on the oxygen
  EXPECT_LT(dist(atoms[4], atoms[1]), 1.15);  // next two on the first carbon
  EXPECT_LT(dist(atoms[5], atoms[1]), 1.15);
  for (size_t i = 6; i < 9; ++i) EXPECT_LT(dist(atoms[i], atoms[2]), 1.15);
  // Bond C0-C1 of the molecule is a bond in 3D (atom i of the XYZ is atom i of the Molecule).
  auto ring = parse_xyz(conformer_xyz(Molecule::from_smiles("C1CCOC1C(=O)N"), GetParam()));
  EXPECT_EQ(ring[3].el, "O");
  EXPECT_EQ(ring[6].el, "O");
  EXPECT_EQ(ring[7].el, "N");
  EXPECT_LT(dist(ring[0], ring[4]), 1.6);  // ring closure bond 0-4
  EXPECT_LT(dist(ring[5], ring[6]), 1.3);  // C=O
}

namespace {
// Signed volume of the first three neighbours around a centre: its sign is the handedness.
double chiral_volume(const std::vector<Atom3>& a, int centre, int n1, int n2, int n3) {
  double v1[3] = {a[n1].x - a[centre].x, a[n1].y - a[centre].y, a[n1].z - a[centre].z};
  double v2[3] = {a[n2].x - a[centre].x, a[n2].y - a[centre].y, a[n2].z - a[centre].z};
  double v3[3] = {a[n3].x - a[centre].x, a[n3].y - a[centre].y, a[n3].z - a[centre].z};
  return v1[0] * (v2[1] * v3[2] - v2[2] * v3[1]) - v1[1] * (v2[0] * v3[2] - v2[2] * v3[0]) +
         v1[2] * (v2[0] * v3[1] - v2[1] * v3[0]);
}
}  // namespace

TEST_P(ConformerBothMethods, KeepsTetrahedralStereo) {
  // L- and D-alanine (atoms: 0 N, 1 C-alpha, 2 C-methyl, 3 C-carboxyl): opposite handedness, and
  // both methods agree on which is which.
  auto l = parse_xyz(conformer_xyz(Molecule::from_smiles("N[C@@H](C)C(=O)O"), GetParam()));
  auto d = parse_xyz(conformer_xyz(Molecule::from_smiles("N[C@H](C)C(=O)O"), GetParam()));
  double vl = chiral_volume(l, 1, 0, 2, 3), vd = chiral_volume(d, 1, 0, 2, 3);
  EXPECT_LT(vl * vd, 0) << vl << " " << vd;
  // Python RDKit (AddHs + EmbedMolecule, seed 42): (N - Ca) . ((CH3 - Ca) x (COOH - Ca)) = -2.76 for
  // N[C@@H](C)C(=O)O and +2.30 for N[C@H](C)C(=O)O.
  EXPECT_LT(vl, 0);
}

TEST_P(ConformerBothMethods, KeepsDoubleBondStereo) {
  // 1,2-difluoroethylene: F...F about 3.5 A across a trans double bond, about 2.8 A in the cis isomer.
  auto trans = parse_xyz(conformer_xyz(Molecule::from_smiles("F/C=C/F"), GetParam()));
  auto cis = parse_xyz(conformer_xyz(Molecule::from_smiles("F/C=C\\F"), GetParam()));
  EXPECT_GT(dist(trans[0], trans[3]), 3.3);
  EXPECT_LT(dist(cis[0], cis[3]), 3.0);
}

INSTANTIATE_TEST_SUITE_P(Conformer, ConformerBothMethods,
                         ::testing::Values(ConformerMethod::openbabel_mmff94, ConformerMethod::rdkit_etkdg),
                         [](const ::testing::TestParamInfo<ConformerMethod>& info) {
                           return std::string(info.param == ConformerMethod::openbabel_mmff94 ? "openbabel_mmff94"
                                                                                           : "rdkit_etkdg");
                         });

TEST(Conformer, EtkdgSameSeedSameCoordinates) {
  auto m = Molecule::from_smiles("CCOC(=O)c1ccccc1N");
  EXPECT_EQ(conformer_xyz(m, ConformerMethod::rdkit_etkdg, 7), conformer_xyz(m, ConformerMethod::rdkit_etkdg, 7));
}

TEST(Conformer, OpenBabelFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::vector<size_t> counts(3);
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([t, &counts] {
      counts[t] = parse_xyz(conformer_xyz(Molecule::from_smiles("c1ccccc1CCN"))).size();
    });
  }
  for (auto& th : threads) th.join();
  for (size_t c : counts) EXPECT_EQ(c, 20u);  // C8H11N
}
