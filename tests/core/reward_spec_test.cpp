// RewardSpec: weights, RLPGR gates, fixed malformed/wrong rewards, normalisation and config errors,
// with hand-computed totals.
#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/reward_spec.h"

using retort::ConfigError;
using retort::RewardSpec;
using retort::Score;

namespace {

Score make(double format, bool correct, std::map<std::string, double> extra = {}) {
  Score s;
  s.correct = correct;
  s.components = {{"answer", correct ? 1.0 : 0.0}, {"format", format}};
  for (auto& [k, v] : extra) s.components[k] = v;
  return s;
}

}  // namespace

TEST(RewardSpec, DefaultsWeightAndGateOnFormat) {
  RewardSpec spec = RewardSpec::defaults();
  Score s = make(1, true, {{"structure", 0.5}, {"principle", 1.0}});
  // 1*1 + 0.1*1 + 0.125*0.5 + 0.125*1 = 1.2875
  EXPECT_DOUBLE_EQ(spec.apply(s), 1.2875);
  Score malformed = make(0, true, {{"structure", 1.0}});
  EXPECT_DOUBLE_EQ(spec.apply(malformed), 1.0);  // structure gated off by format = 0
  EXPECT_NE(malformed.reasons["reward"].find("structure gated (format)"), std::string::npos);
}

TEST(RewardSpec, GateOnCorrectAndFixedRewards) {
  auto spec = RewardSpec::from_json(
      {{"gate", "format_and_correct"}, {"malformed_reward", -1.5}, {"wrong_reward", -1.0}}, "t.json: reward");
  Score wrong = make(1, false, {{"structure", 1.0}});
  EXPECT_DOUBLE_EQ(spec.apply(wrong), -1.0);
  Score malformed = make(0, true);
  EXPECT_DOUBLE_EQ(spec.apply(malformed), -1.5);
  Score good = make(1, true, {{"logical_consistency", 1.0}});
  EXPECT_DOUBLE_EQ(spec.apply(good), 1.225);
  auto ungated = RewardSpec::from_json({{"gate", "format_and_correct"}, {"gates", {{"structure", "none"}}}}, "t");
  Score w = make(0, false, {{"structure", 1.0}});
  EXPECT_DOUBLE_EQ(ungated.apply(w), 0.125);
}

TEST(RewardSpec, Normalisation) {
  auto total = RewardSpec::from_json({{"weights", {{"answer", 3.0}, {"format", 1.0}}}, {"normalise", "total_weight"}}, "t");
  Score s = make(1, true);
  EXPECT_DOUBLE_EQ(total.apply(s), 1.0);
  auto present = RewardSpec::from_json(
      {{"weights", {{"answer", 1.0}, {"format", 1.0}, {"structure", 2.0}}}, {"normalise", "present_weight"}}, "t");
  Score no_claims = make(1, false);
  EXPECT_DOUBLE_EQ(present.apply(no_claims), 0.5);  // (0 + 1) / 2, structure absent
  Score claims = make(1, false, {{"structure", 0.5}});
  EXPECT_DOUBLE_EQ(present.apply(claims), 0.5);     // (0 + 1 + 1) / 4
}

TEST(RewardSpec, ConfigErrorsNameTheKey) {
  auto message = [](const nlohmann::json& j) {
    try {
      RewardSpec::from_json(j, "train.json: reward");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message({{"gate", "sometimes"}}),
            "train.json: reward: gate: must be \"none\", \"format\" or \"format_and_correct\", got \"sometimes\"");
  EXPECT_EQ(message({{"weights", {{"answer", "high"}}}}),
            "train.json: reward: weights.answer: must be a finite number, got \"high\"");
  EXPECT_EQ(message({{"normalize", "none"}}),
            "train.json: reward: normalize: unknown key (known: weights, gate, gates, normalise, malformed_reward, wrong_reward)");
}

TEST(RewardSpec, RoundTripsThroughJson) {
  auto spec = RewardSpec::from_json({{"gate", "none"}, {"wrong_reward", -1.0}}, "t");
  auto again = RewardSpec::from_json(spec.to_json(), "t");
  EXPECT_EQ(again.to_json(), spec.to_json());
  EXPECT_EQ(again.gate("structure"), retort::RewardGate::none);
}
