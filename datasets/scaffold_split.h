// Seeded Bemis-Murcko scaffold split, chemprop's "balanced" scaffold split (chemprop v1
// chemprop/data/scaffold.py, scaffold_split(balanced=True)), which deepchem's ScaffoldSplitter lacks a
// seed for:
//   1. group rows by scaffold (acyclic molecules share the empty scaffold "");
//   2. "big" groups (more than half the valid or half the test size) are shuffled with the seed and go
//      first, then the shuffled small groups;
//   3. each group, in that order, goes whole to train if it still fits under 80% of the rows, else to
//      valid if it fits under 10%, else to test.
// No scaffold lands in two splits; sizes land within a few rows of 80/10/10 because the many small
// groups fill the gaps; a different seed gives a different split.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace retort::datasets {

struct SplitFractions {
  double train = 0.8, valid = 0.1, test = 0.1;
};

struct SplitIndices {
  std::vector<size_t> train, valid, test;  // row indices, ascending within each split
};

// SCAFFOLDS[i] is row i's scaffold key. Throws DataError if the fractions are negative or do not sum to 1.
SplitIndices balanced_scaffold_split(const std::vector<std::string>& scaffolds, uint64_t seed,
                                     const SplitFractions& fractions = {});

// Fisher-Yates shuffle with an unbiased bounded draw from mt19937_64 (same order on every platform,
// unlike std::shuffle whose algorithm the standard leaves open).
template <typename T, typename Engine>
void portable_shuffle(std::vector<T>& items, Engine& engine) {
  for (size_t i = items.size(); i > 1; --i) {
    uint64_t bound = i, limit = UINT64_MAX - UINT64_MAX % bound, r;
    do r = engine(); while (r >= limit);
    std::swap(items[i - 1], items[r % bound]);
  }
}

}  // namespace retort::datasets
