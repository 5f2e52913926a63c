// Filters of the active-learning loop on hand-checked molecules: ring size 7 rejected, 71 heavy atoms
// rejected (70 kept), batch duplicates and pool molecules (novelty) dropped, invalid SMILES counted.
#include <gtest/gtest.h>

#include <string>

#include "al/candidate_filter.h"

using namespace retort::al;

TEST(AlFilter, LargestRingSizeOfKnownMolecules) {
  EXPECT_EQ(largest_ring_size("c1ccccc1"), 6);
  EXPECT_EQ(largest_ring_size("C1CCCCCC1"), 7);      // cycloheptane
  EXPECT_EQ(largest_ring_size("c1ccc2ccccc2c1"), 6);  // naphthalene: two 6-rings
  EXPECT_EQ(largest_ring_size("C1CC1"), 3);
  EXPECT_EQ(largest_ring_size("CCO"), 0);
  EXPECT_EQ(largest_ring_size("C1CC"), -1);  // unclosed ring
}

TEST(AlFilter, RingLargerThanSixIsRejected) {
  FilterSettings settings;
  std::string canonical;
  EXPECT_EQ(check_molecule("C1CCCCCC1", settings, &canonical), FilterVerdict::ring_too_large);
  EXPECT_EQ(check_molecule("c1ccc2c(c1)CCCCC2", settings, nullptr), FilterVerdict::ring_too_large);  // benzocycloheptane
  EXPECT_EQ(check_molecule("c1ccccc1", settings, &canonical), FilterVerdict::kept);
  EXPECT_EQ(canonical, "c1ccccc1");
  settings.max_ring_size = 7;
  EXPECT_EQ(check_molecule("C1CCCCCC1", settings, nullptr), FilterVerdict::kept);
}

TEST(AlFilter, SeventyOneHeavyAtomsAreRejected) {
  FilterSettings settings;  // max 70
  EXPECT_EQ(check_molecule(std::string(70, 'C'), settings, nullptr), FilterVerdict::kept);
  EXPECT_EQ(check_molecule(std::string(71, 'C'), settings, nullptr), FilterVerdict::too_many_heavy_atoms);
  settings.min_heavy_atoms = 3;
  EXPECT_EQ(check_molecule("C=C", settings, nullptr), FilterVerdict::too_few_heavy_atoms);
  EXPECT_EQ(check_molecule("C=CC", settings, nullptr), FilterVerdict::kept);
  settings.min_heavy_atoms = 1;
  // Hydrogens do not count: C70 with explicit [2H]... is still 70 heavy atoms.
  EXPECT_EQ(check_molecule("[2H]" + std::string(70, 'C'), settings, nullptr), FilterVerdict::kept);
}

TEST(AlFilter, InvalidAndMultiFragmentSmilesAreInvalid) {
  FilterSettings settings;
  EXPECT_EQ(check_molecule("C1CC", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("C(C", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("CC.O", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("c1ccccc1 CC", settings, nullptr), FilterVerdict::invalid);
  // RDKit alone parses these as methane (the rest is read as a name); generated text must not pass.
  EXPECT_EQ(check_molecule("C\tC(=X", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("C\xEF\xBF\xBD=C-#N", settings, nullptr), FilterVerdict::invalid);
  EXPECT_EQ(check_molecule("CC\x01", settings, nullptr), FilterVerdict::invalid);
}

TEST(AlFilter, UniquenessAndNoveltyAgainstThePool) {
  FilterSettings settings;
  std::unordered_set<std::string> pool{"c1ccccc1"};
  // Kekule benzene is the pool's benzene; the aromatic form repeats it; OCC repeats CCO.
  auto result = filter_candidates({"C1=CC=CC=C1", "c1ccccc1", "CCO", "OCC", "C1CC", "CCN", "C1CCCCCC1"}, settings, pool);
  ASSERT_EQ(result.outcomes.size(), 7u);
  EXPECT_EQ(result.outcomes[0].verdict, FilterVerdict::not_novel);
  EXPECT_EQ(result.outcomes[1].verdict, FilterVerdict::duplicate);
  EXPECT_EQ(result.outcomes[2].verdict, FilterVerdict::kept);
  EXPECT_EQ(result.outcomes[3].verdict, FilterVerdict::duplicate);
  EXPECT_EQ(result.outcomes[4].verdict, FilterVerdict::invalid);
  EXPECT_EQ(result.outcomes[5].verdict, FilterVerdict::kept);
  EXPECT_EQ(result.outcomes[6].verdict, FilterVerdict::ring_too_large);
  EXPECT_EQ(result.counts.generated, 7);
  EXPECT_EQ(result.counts.valid, 5);   // both benzenes, CCO, OCC, CCN
  EXPECT_EQ(result.counts.unique, 3);  // benzene, CCO, CCN
  EXPECT_EQ(result.counts.novel, 2);   // CCO, CCN
  EXPECT_EQ(result.kept, (std::vector<std::string>{"CCO", "CCN"}));

  settings.require_novel = false;
  auto relaxed = filter_candidates({"c1ccccc1", "CCO"}, settings, pool);
  EXPECT_EQ(relaxed.kept, (std::vector<std::string>{"c1ccccc1", "CCO"}));
  EXPECT_EQ(relaxed.counts.novel, 1);
}
