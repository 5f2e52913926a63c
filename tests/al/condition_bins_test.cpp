// Condition bins and the STGG+AL range update on known scores (hand-computed bins).
#include <gtest/gtest.h>

#include <set>

#include "al/condition_bins.h"

using namespace retort::al;

TEST(AlConditions, BinsAndPromptText) {
  ConditionProperty fosc = default_condition_property("f_osc");  // edges 0.01 0.05 0.15 0.3 0.5 0.75 1 1.5 2 3
  EXPECT_EQ(fosc.bin_count(), 11);
  EXPECT_EQ(fosc.bin_of(0.0), 0);
  EXPECT_EQ(fosc.bin_of(0.01), 1);  // an edge belongs to the bin above it
  EXPECT_EQ(fosc.bin_of(0.2), 3);
  EXPECT_EQ(fosc.bin_of(0.995), 6);
  EXPECT_EQ(fosc.bin_of(3.5), 10);
  ConditionProperty wl = default_condition_property("wavelength");  // 300 325 350 375 400 450 500 600 800 1000
  EXPECT_EQ(wl.bin_of(420), 5);
  EXPECT_EQ(condition_prompt({fosc, wl}, {3, 5}), "<fosc=3><wl=5>");
  EXPECT_EQ(bins_of({fosc, wl}, {{"f_osc", 0.2}, {"wavelength", 420}}), (std::vector<int>{3, 5}));
  EXPECT_THROW(default_condition_property("colour"), std::exception);
}

TEST(AlConditions, RangeMovesFromTopHundredMeanToTopOnePlusExtrapolation) {
  ConditionProperty fosc = default_condition_property("f_osc");
  std::vector<ScoredProperties> scored;
  // 150 molecules, f_osc = i / 100 and score = f_osc: top-100 are 0.50..1.49 (mean 0.995 -> bin 6),
  // top-1 is 1.49 (bin 7).
  for (int i = 0; i < 150; ++i) scored.push_back({i / 100.0, {{"f_osc", i / 100.0}}});
  ConditionRange fallback{0, 10};
  ConditionRange r = update_condition_range(fosc, scored, 100, 1, fallback);
  EXPECT_EQ(r.low, 6);
  EXPECT_EQ(r.high, 8);
  r = update_condition_range(fosc, scored, 100, 0, fallback);
  EXPECT_EQ(r.high, 7);
  r = update_condition_range(fosc, scored, 100, 5, fallback);
  EXPECT_EQ(r.high, 10);  // capped at the last bin
  r = update_condition_range(fosc, scored, 10, 1, fallback);  // top-10: 1.40..1.49, mean 1.445 -> bin 7
  EXPECT_EQ(r.low, 7);
  // Ranking is by score, not by the property: a high-f molecule with a low score is not the top-1.
  std::vector<ScoredProperties> inverted{{1.0, {{"f_osc", 0.2}}}, {0.1, {{"f_osc", 2.5}}}};
  r = update_condition_range(fosc, inverted, 1, 0, fallback);
  EXPECT_EQ(r.low, 3);
  EXPECT_EQ(r.high, 3);
  // Nothing scored with the target: the fallback.
  r = update_condition_range(fosc, {}, 100, 1, ConditionRange{2, 4});
  EXPECT_EQ(r.low, 2);
  EXPECT_EQ(r.high, 4);
  r = update_condition_range(fosc, {{1.0, {{"qed", 0.5}}}}, 100, 1, ConditionRange{2, 4});
  EXPECT_EQ(r.low, 2);
}

TEST(AlConditions, SampledBinsStayInTheRangeAndCopyTheContext) {
  std::vector<ConditionProperty> props{default_condition_property("f_osc"), default_condition_property("wavelength")};
  std::mt19937_64 rng(7);
  std::set<int> targets, others;
  for (int i = 0; i < 500; ++i) {
    auto bins = sample_condition_bins(props, 0, ConditionRange{6, 8}, {{1, 4}, {2, 9}}, rng);
    ASSERT_EQ(bins.size(), 2u);
    targets.insert(bins[0]);
    others.insert(bins[1]);
  }
  EXPECT_EQ(targets, (std::set<int>{6, 7, 8}));
  EXPECT_EQ(others, (std::set<int>{4, 9}));
}
