// Rooted SMILES variants (pretraining augmentation): strings equal to Python RDKit's
// MolToSmiles(mol, rootedAtAtom=k) for hand-picked roots, and every variant is the same molecule.
#include <gtest/gtest.h>

#include <set>

#include "al/smiles_variants.h"
#include "chem/molecule.h"

using namespace retort::al;

TEST(AlSmilesVariants, RootedStringsMatchPythonRdkit) {
  // /usr/bin/python3: Chem.MolToSmiles(Chem.MolFromSmiles(s), rootedAtAtom=k)
  EXPECT_EQ(smiles_rooted_at("c1ccccc1O", 6), "Oc1ccccc1");
  EXPECT_EQ(smiles_rooted_at("CC(=O)Nc1ccc(O)cc1", 3), "N(C(C)=O)c1ccc(O)cc1");
  EXPECT_EQ(smiles_rooted_at("c1ccc2c(c1)sc1ccccc12", 4), "c12ccccc1c1ccccc1s2");
  EXPECT_EQ(smiles_rooted_at("c1ccccc1O", 7), "");
  EXPECT_EQ(smiles_rooted_at("c1ccccc1(", 0), "");
}

TEST(AlSmilesVariants, VariantsAreDistinctSpellingsOfTheSameMolecule) {
  const std::string smiles = "Cc1ccc(-c2ccc(C#N)s2)cc1N";
  std::string canonical = retort::chem::Molecule::from_smiles(smiles).canonical_smiles();
  std::mt19937_64 rng(7);
  auto variants = smiles_variants(smiles, 5, rng);
  ASSERT_EQ(variants.size(), 5u);
  std::set<std::string> distinct(variants.begin(), variants.end());
  EXPECT_EQ(distinct.size(), 5u);
  for (const auto& v : variants) {
    EXPECT_NE(v, smiles);
    EXPECT_EQ(retort::chem::Molecule::from_smiles(v).canonical_smiles(), canonical) << v;
  }
  std::mt19937_64 again(7);
  EXPECT_EQ(smiles_variants(smiles, 5, again), variants);  // seeded
  std::mt19937_64 rng2(1);
  EXPECT_LE(smiles_variants("C", 3, rng2).size(), 0u);  // methane has one spelling, the input itself
  EXPECT_TRUE(smiles_variants("not a smiles", 3, rng2).empty());
}
