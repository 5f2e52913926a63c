// The round's fine-tuning set (src/al/finetune_selection.h): the best k in rank order, and with a
// per-scaffold cap the substituent variants of one ring chain give way to the next scaffolds.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "al/finetune_selection.h"

using retort::al::PoolEntry;
using retort::al::select_finetune_entries;

namespace {

// Best first: three biphenyls (one Murcko scaffold c1ccc(-c2ccccc2)cc1), naphthalene, ethanol (acyclic),
// methanol (acyclic, its own scaffold), then benzene.
std::vector<PoolEntry> pool() {
  std::vector<std::string> smiles = {"Cc1ccc(-c2ccccc2)cc1", "CCc1ccc(-c2ccccc2)cc1", "c1ccc(-c2ccccc2)cc1",
                                     "c1ccc2ccccc2c1",       "CCO",                   "CO",
                                     "c1ccccc1"};
  std::vector<PoolEntry> out;
  for (std::size_t i = 0; i < smiles.size(); ++i) out.push_back({smiles[i], 1, "ok", 10.0 - i, {}});
  return out;
}

std::vector<const PoolEntry*> pointers_to(const std::vector<PoolEntry>& entries) {
  std::vector<const PoolEntry*> out;
  for (const auto& e : entries) out.push_back(&e);
  return out;
}

std::vector<std::string> smiles_of(const std::vector<const PoolEntry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries) out.push_back(e->smiles);
  return out;
}

}  // namespace

TEST(FinetuneSelection, WithoutACapTheBestKInOrder) {
  auto entries = pool();
  auto ranked = pointers_to(entries);
  std::mt19937_64 rng(7);
  auto chosen = select_finetune_entries(ranked, 3, 2, 0, rng);
  EXPECT_EQ(smiles_of(chosen.top), (std::vector<std::string>{"Cc1ccc(-c2ccccc2)cc1", "CCc1ccc(-c2ccccc2)cc1",
                                                             "c1ccc(-c2ccccc2)cc1"}));
  ASSERT_EQ(chosen.random.size(), 2u);
  // The random pair comes from the four entries after the best three, and is the shuffle's first two.
  std::vector<const PoolEntry*> rest(ranked.begin() + 3, ranked.end());
  std::mt19937_64 same(7);
  std::shuffle(rest.begin(), rest.end(), same);
  EXPECT_EQ(chosen.random[0], rest[0]);
  EXPECT_EQ(chosen.random[1], rest[1]);
}

TEST(FinetuneSelection, ScaffoldCapPassesOverVariantsOfOneChain) {
  auto entries = pool();
  auto ranked = pointers_to(entries);
  std::mt19937_64 rng(7);
  auto chosen = select_finetune_entries(ranked, 4, 10, 1, rng);
  EXPECT_EQ(smiles_of(chosen.top),
            (std::vector<std::string>{"Cc1ccc(-c2ccccc2)cc1", "c1ccc2ccccc2c1", "CCO", "CO"}));
  // The passed-over biphenyls and benzene make up the rest, all drawn (random_count 10 > 3).
  auto rest = smiles_of(chosen.random);
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, (std::vector<std::string>{"CCc1ccc(-c2ccccc2)cc1", "c1ccc(-c2ccccc2)cc1", "c1ccccc1"}));

  std::mt19937_64 rng2(7);
  auto two = select_finetune_entries(ranked, 4, 0, 2, rng2);
  EXPECT_EQ(smiles_of(two.top), (std::vector<std::string>{"Cc1ccc(-c2ccccc2)cc1", "CCc1ccc(-c2ccccc2)cc1",
                                                          "c1ccc2ccccc2c1", "CCO"}));
  EXPECT_TRUE(two.random.empty());
}
