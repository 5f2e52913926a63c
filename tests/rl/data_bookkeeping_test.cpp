// Hard-sample mining (pass rates, stage-aware sampling, JSON round trip) and Scaf-GRPO hint-tier
// bookkeeping (warm-up, patience, tiers, JSON round trip).
#include <gtest/gtest.h>

#include <map>

#include "rl/hard_sample_mining.h"
#include "rl/hint_scaffold.h"

using namespace retort::rl;

TEST(HardSampleMining, PassRatesAndPersistentFailures) {
  HardSampleMiner miner;  // pass >= 0.5, hard <= 0.2 after 4 attempts
  miner.record("easy", {1, 1, 0, 1});
  miner.record("hard", {0, 0});
  EXPECT_FALSE(miner.is_persistent_failure("hard"));  // only 2 attempts
  miner.record("hard", {0, 0.6});
  EXPECT_DOUBLE_EQ(miner.pass_rate("easy"), 0.75);
  EXPECT_DOUBLE_EQ(miner.pass_rate("hard"), 0.25);
  EXPECT_FALSE(miner.is_persistent_failure("hard"));  // 0.25 > 0.2
  miner.record("hard", {0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(miner.pass_rate("hard"), 0.125);
  EXPECT_TRUE(miner.is_persistent_failure("hard"));
  EXPECT_EQ(miner.stats().at("hard").consecutive_failed_visits, 1);
  EXPECT_EQ(miner.pass_rate("never-seen"), 0.0);
}

TEST(HardSampleMining, StageOneSkipsHardStageTwoOversamplesIt) {
  HardSampleOptions o;
  o.oversample_factor = 4.0;
  o.hard_group_size = 16;
  HardSampleMiner miner(o);
  miner.record("hard", {0, 0, 0, 0});
  miner.record("ok", {1, 0, 1, 0});
  std::vector<std::string> ids = {"ok", "hard", "new"};
  std::mt19937_64 rng(5);
  for (auto& id : miner.sample(ids, 200, rng)) EXPECT_NE(id, "hard");
  EXPECT_EQ(miner.rollouts_for("hard", 8), 8);
  miner.start_stage2();
  std::map<std::string, int> counts;
  for (auto& id : miner.sample(ids, 6000, rng)) counts[id]++;
  // Weights 1 : 4 : 1 -> hard ~ 4000 of 6000 (binomial sd ~ 37).
  EXPECT_NEAR(counts["hard"], 4000, 200);
  EXPECT_NEAR(counts["ok"], 1000, 150);
  EXPECT_EQ(miner.rollouts_for("hard", 8), 16);
  EXPECT_EQ(miner.rollouts_for("ok", 8), 8);
}

TEST(HardSampleMining, RewardsSparseAfterAWindowOfFailures) {
  HardSampleOptions o;
  o.sparse_window = 3;
  o.sparse_pass_rate = 0.2;
  HardSampleMiner miner(o);
  miner.record("a", {0, 0});
  miner.record("b", {0, 0});
  EXPECT_FALSE(miner.rewards_sparse());  // window not full
  miner.record("c", {1, 0, 0, 0});       // window pass rates 0, 0, 0.25: mean 0.083
  EXPECT_TRUE(miner.rewards_sparse());
  miner.record("d", {1, 1});
  EXPECT_FALSE(miner.rewards_sparse());
}

TEST(HardSampleMining, JsonRoundTripResumesTheSameDraws) {
  HardSampleMiner miner;
  miner.record("x", {0, 0, 0, 0, 0});
  miner.record("y", {1, 1});
  miner.start_stage2();
  auto restored = HardSampleMiner::from_json(nlohmann::json::parse(miner.to_json().dump()));
  EXPECT_EQ(restored.to_json(), miner.to_json());
  std::mt19937_64 a(9), b(9);
  EXPECT_EQ(miner.sample({"x", "y"}, 50, a), restored.sample({"x", "y"}, 50, b));
  EXPECT_THROW(HardSampleMiner::from_json(nlohmann::json{{"stage", 1}}), std::invalid_argument);
}

TEST(HintScaffold, TiersAfterWarmupAndPatience) {
  HintScaffoldOptions o;
  o.total_steps = 100;  // warm-up: steps 0..14
  o.patience = 2;
  HintScaffold scaffold(o);
  scaffold.record_visit("q", 1, {0, 0, 0});
  scaffold.record_visit("q", 5, {0, 0, 0});
  EXPECT_EQ(scaffold.zero_visits("q"), 2);
  EXPECT_TRUE(scaffold.tiers_to_try("q", 10).empty());  // warm-up
  EXPECT_EQ(scaffold.tiers_to_try("q", 15), (std::vector<int64_t>{0, 1, 2}));
  scaffold.record_hint_result("q", 1);
  EXPECT_EQ(scaffold.last_solving_tier("q"), 1);
  EXPECT_EQ(scaffold.solved_per_tier(), (std::vector<int64_t>{0, 1, 0}));
  scaffold.record_visit("q", 16, {0, 1, 0});  // solved on its own: no more hints
  EXPECT_TRUE(scaffold.tiers_to_try("q", 20).empty());
  scaffold.record_visit("r", 20, {0});
  EXPECT_TRUE(scaffold.tiers_to_try("r", 20).empty());  // patience 2 not reached
  scaffold.record_hint_result("r", -1);
  EXPECT_EQ(scaffold.unsolved_after_all_tiers(), 1);
  EXPECT_STREQ(hint_tier_name(2), "partial_solution");
  EXPECT_THROW(scaffold.record_hint_result("r", 3), std::invalid_argument);
  auto restored = HintScaffold::from_json(nlohmann::json::parse(scaffold.to_json().dump()));
  EXPECT_EQ(restored.to_json(), scaffold.to_json());
}
