// Balanced scaffold split: known placements, no scaffold in two splits, 80/10/10 sizes, seed behaviour.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "datasets/scaffold_split.h"

using retort::datasets::balanced_scaffold_split;
using retort::datasets::SplitIndices;

namespace {

std::vector<size_t> all_of(const SplitIndices& s) {
  std::vector<size_t> v = s.train;
  v.insert(v.end(), s.valid.begin(), s.valid.end());
  v.insert(v.end(), s.test.begin(), s.test.end());
  std::sort(v.begin(), v.end());
  return v;
}

// A skewed scaffold population like MoleculeNet's: a few big series and many singletons.
std::vector<std::string> skewed_scaffolds(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    uint64_t r = rng() % 1000;
    if (r < 150) out.push_back("");                                  // acyclic
    else if (r < 300) out.push_back("c1ccccc1");                     // benzene series
    else if (r < 500) out.push_back("series" + std::to_string(r % 20));
    else out.push_back("single" + std::to_string(i));
  }
  return out;
}

void expect_disjoint_scaffolds(const std::vector<std::string>& scaffolds, const SplitIndices& s) {
  std::map<std::string, std::set<int>> splits_of;
  for (size_t i : s.train) splits_of[scaffolds[i]].insert(0);
  for (size_t i : s.valid) splits_of[scaffolds[i]].insert(1);
  for (size_t i : s.test) splits_of[scaffolds[i]].insert(2);
  for (const auto& [scaffold, splits] : splits_of) EXPECT_EQ(splits.size(), 1u) << "scaffold '" << scaffold << "'";
}

}  // namespace

TEST(ScaffoldSplit, BigGroupGoesToTrainFirstAndSingletonsFillTheRest) {
  // 20 rows: scaffold A on 12 rows (> valid/2 = 1, so "big"), 8 singletons. Train holds 16 rows:
  // all of A plus 4 singletons; valid 2 singletons; test 2 singletons.
  std::vector<std::string> scaffolds;
  for (int i = 0; i < 12; ++i) scaffolds.push_back("A");
  for (int i = 0; i < 8; ++i) scaffolds.push_back("s" + std::to_string(i));
  for (uint64_t seed : {0, 1, 2, 3}) {
    auto s = balanced_scaffold_split(scaffolds, seed);
    EXPECT_EQ(s.train.size(), 16u);
    EXPECT_EQ(s.valid.size(), 2u);
    EXPECT_EQ(s.test.size(), 2u);
    for (size_t i = 0; i < 12; ++i) EXPECT_TRUE(std::binary_search(s.train.begin(), s.train.end(), i));
  }
}

TEST(ScaffoldSplit, GroupTooBigForTrainGoesToValidOrTest) {
  // 10 rows: two groups of 5 (train_size 8): the first shuffled big group fills train; the second does
  // not fit train (5+5 > 8) nor valid (5 > 1), so it lands in test whole.
  std::vector<std::string> scaffolds = {"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"};
  auto s = balanced_scaffold_split(scaffolds, 7);
  EXPECT_EQ(s.train.size(), 5u);
  EXPECT_EQ(s.valid.size(), 0u);
  EXPECT_EQ(s.test.size(), 5u);
  expect_disjoint_scaffolds(scaffolds, s);
}

TEST(ScaffoldSplit, PartitionsRowsWithDisjointScaffoldsAndEightyTenTenSizes) {
  for (size_t n : {200u, 1128u, 4200u}) {
    auto scaffolds = skewed_scaffolds(n, n);
    auto s = balanced_scaffold_split(scaffolds, 0);
    std::vector<size_t> expected(n);
    for (size_t i = 0; i < n; ++i) expected[i] = i;
    EXPECT_EQ(all_of(s), expected) << "every row exactly once";
    expect_disjoint_scaffolds(scaffolds, s);
    // Train never exceeds 80%, valid never exceeds 10%; singletons fill them to within a row.
    EXPECT_LE(s.train.size(), 0.8 * n);
    EXPECT_GE(s.train.size(), 0.8 * n - 1);
    EXPECT_LE(s.valid.size(), 0.1 * n);
    EXPECT_GE(s.valid.size(), 0.1 * n - 1);
    EXPECT_NEAR(static_cast<double>(s.test.size()), 0.1 * n, 2.0);
  }
}

TEST(ScaffoldSplit, SameSeedSameSplitOtherSeedOtherSplit) {
  auto scaffolds = skewed_scaffolds(1000, 42);
  auto a = balanced_scaffold_split(scaffolds, 5), b = balanced_scaffold_split(scaffolds, 5);
  auto c = balanced_scaffold_split(scaffolds, 6);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.valid, b.valid);
  EXPECT_EQ(a.test, b.test);
  EXPECT_NE(a.test, c.test);
  EXPECT_NE(a.valid, c.valid);
}

TEST(ScaffoldSplit, RejectsFractionsThatDoNotSumToOne) {
  EXPECT_THROW(balanced_scaffold_split({"a", "b"}, 0, {0.8, 0.1, 0.2}), std::runtime_error);
}
