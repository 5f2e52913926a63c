// balanced_scaffold_split: chemprop's balanced scaffold split with retort's RNG streams.
#include "datasets/scaffold_split.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/errors.h"
#include "core/rng.h"

namespace retort::datasets {

SplitIndices balanced_scaffold_split(const std::vector<std::string>& scaffolds, uint64_t seed,
                                     const SplitFractions& fractions) {
  if (fractions.train < 0 || fractions.valid < 0 || fractions.test < 0 ||
      std::abs(fractions.train + fractions.valid + fractions.test - 1.0) > 1e-9)
    throw DataError("scaffold split: fractions must be >= 0 and sum to 1");
  const double n = static_cast<double>(scaffolds.size());
  const double train_size = fractions.train * n, valid_size = fractions.valid * n,
               test_size = fractions.test * n;

  // Groups in order of first appearance, so the result depends on the rows and the seed only.
  std::vector<std::vector<size_t>> groups;
  std::unordered_map<std::string, size_t> group_of;
  for (size_t i = 0; i < scaffolds.size(); ++i) {
    auto [it, inserted] = group_of.emplace(scaffolds[i], groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  std::vector<std::vector<size_t>> big, small;
  for (auto& g : groups) {
    double size = static_cast<double>(g.size());
    (size > valid_size / 2 || size > test_size / 2 ? big : small).push_back(std::move(g));
  }
  RngStreams rng(seed);
  auto& engine = rng.stream("scaffold_split");
  portable_shuffle(big, engine);
  portable_shuffle(small, engine);

  SplitIndices out;
  auto place = [&](const std::vector<size_t>& g) {
    double size = static_cast<double>(g.size());
    if (out.train.size() + size <= train_size)
      out.train.insert(out.train.end(), g.begin(), g.end());
    else if (out.valid.size() + size <= valid_size)
      out.valid.insert(out.valid.end(), g.begin(), g.end());
    else
      out.test.insert(out.test.end(), g.begin(), g.end());
  };
  for (const auto& g : big) place(g);
  for (const auto& g : small) place(g);
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.valid.begin(), out.valid.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

}  // namespace retort::datasets
