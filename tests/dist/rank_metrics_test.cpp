// merge_rank_metrics: hand-computed merges of two ranks' step metrics.
#include <gtest/gtest.h>

#include "dist/rank_metrics.h"

using namespace retort::dist;

TEST(RankMetrics, MergesByRule) {
  std::map<std::string, double> rank0 = {{"loss", 0.5}, {"grad_norm", 2.0}, {"lr", 1e-3}, {"reward/mean", 0.25},
                                         {"timing_s/rollout", 1.5}, {"perf/tokens_per_s", 100}, {"sft/target_tokens", 2},
                                         {"rewards/format/mean", 1.0}};
  std::map<std::string, double> rank1 = {{"loss", 0.7}, {"grad_norm", 2.0}, {"lr", 1e-3}, {"reward/mean", 0.75},
                                         {"timing_s/rollout", 2.5}, {"perf/tokens_per_s", 50}, {"sft/target_tokens", 1}};
  auto merged = merge_rank_metrics({rank0, rank1});
  EXPECT_DOUBLE_EQ(merged["loss"], 0.5);              // already global: rank 0's
  EXPECT_DOUBLE_EQ(merged["grad_norm"], 2.0);
  EXPECT_DOUBLE_EQ(merged["reward/mean"], 0.5);       // mean of equal shares
  EXPECT_DOUBLE_EQ(merged["timing_s/rollout"], 2.5);  // the slowest rank
  EXPECT_DOUBLE_EQ(merged["perf/tokens_per_s"], 150);
  EXPECT_DOUBLE_EQ(merged["sft/target_tokens"], 3);
  EXPECT_DOUBLE_EQ(merged["rewards/format/mean"], 1.0);  // reported by one rank only
  EXPECT_EQ(merged.size(), 8u);
}

TEST(RankMetrics, OneRankIsIdentity) {
  std::map<std::string, double> only = {{"loss", 1.25}, {"accuracy", 0.5}};
  EXPECT_EQ(merge_rank_metrics({only}), only);
}
