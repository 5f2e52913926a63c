// Rollout groups survive the JSON exchange between ranks: every field but the images, rewards and
// log-probs bit for bit; one process returns its groups unchanged.
#include <gtest/gtest.h>

#include "rl/rollout_exchange.h"

using namespace retort::rl;

TEST(RolloutExchange, GroupRoundTripsThroughJson) {
  ExchangedGroup group;
  Rollout r;
  r.prompt_ids = {1, 2, 3};
  r.tokens = {7, 8, 9, 10};
  r.logprobs = {-0.1f, -2.5e-8f, 0.0f, -13.375f};
  r.token_mask = {1, 1, 0, 1};
  r.completion = "<answer>yes</answer>";
  r.transcript = "<tool_call>{}</tool_call>";
  r.tool_calls.push_back({"molecular_weight", {{"smiles", "CCO"}}, "46.07", true, 0.25});
  r.sampled_tokens = 3;
  r.clipped = true;
  r.images.push_back({2, 2, 1, {0.f, 1.f, 2.f, 3.f}});
  group.rollouts.push_back(r);
  retort::Score s;
  s.total = 0.1 + 0.2;  // not a short decimal
  s.correct = true;
  s.components = {{"format", 1.0}, {"answer", 1.0 / 3.0}};
  s.reasons = {{"format", "ok"}};
  group.scores.push_back(s);
  group.rewards = {1.0 / 7.0};
  ExchangedGroup back = exchanged_group_from_json(nlohmann::json::parse(exchanged_group_to_json(group).dump()));
  ASSERT_EQ(back.rollouts.size(), 1u);
  const Rollout& b = back.rollouts[0];
  EXPECT_EQ(b.prompt_ids, r.prompt_ids);
  EXPECT_EQ(b.tokens, r.tokens);
  EXPECT_EQ(b.logprobs, r.logprobs);
  EXPECT_EQ(b.token_mask, r.token_mask);
  EXPECT_EQ(b.completion, r.completion);
  EXPECT_EQ(b.transcript, r.transcript);
  ASSERT_EQ(b.tool_calls.size(), 1u);
  EXPECT_EQ(b.tool_calls[0].name, "molecular_weight");
  EXPECT_EQ(b.tool_calls[0].arguments["smiles"], "CCO");
  EXPECT_EQ(b.tool_calls[0].response, "46.07");
  EXPECT_TRUE(b.tool_calls[0].ok);
  EXPECT_EQ(b.sampled_tokens, 3);
  EXPECT_TRUE(b.clipped);
  EXPECT_TRUE(b.images.empty());  // receivers take images from their own prompt build
  EXPECT_EQ(back.scores[0].total, s.total);
  EXPECT_TRUE(back.scores[0].correct);
  EXPECT_EQ(back.scores[0].components, s.components);
  EXPECT_EQ(back.scores[0].reasons, s.reasons);
  EXPECT_EQ(back.rewards, group.rewards);
}

TEST(RolloutExchange, OneProcessReturnsItsGroups) {
  retort::dist::DistContext single;
  std::vector<ExchangedGroup> groups(2);
  groups[1].rewards = {0.5, 1.5};
  auto all = all_gather_groups(single, groups);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].rewards, (std::vector<double>{0.5, 1.5}));
}
