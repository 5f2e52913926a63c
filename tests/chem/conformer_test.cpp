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

INSTANTIATE_TEST_SUITE_P(Methods, ConformerBothMethods,
                         ::testing::Values(ConformerMethod::openbabel_mmff94, ConformerMethod::rdkit_etkdg));

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
