// LineScorer (`retort score`'s code path): every line comes back in order, in its own key order, with
// reward/correct/components/reasons, or with an error naming the line and the problem.
#include <gtest/gtest.h>

#include "core/answer_protocol.h"
#include "core/line_scorer.h"

namespace {

// A stand-in for chem.binary: correct when the final answer equals the reference string.
class EchoVerifier : public retort::Verifier {
 public:
  retort::Score verify(const retort::Example& ex, const retort::Episode& ep) const override {
    auto p = retort::parse_completion(ep.completion);
    retort::Score s;
    s.correct = p.final_answer && ex.answer.is_string() && *p.final_answer == ex.answer.get<std::string>();
    s.components = {{"answer", s.correct ? 1.0 : 0.0}, {"format", p.well_formed ? 1.0 : 0.0}};
    s.reasons = {{"answer", "echo"}, {"format", p.format_reason}};
    return s;
  }
};

retort::LineScorer scorer() {
  retort::VerifierRegistry registry;
  registry.add("chem.binary", [](const nlohmann::json&) { return std::make_unique<EchoVerifier>(); });
  return retort::LineScorer(registry, retort::RewardSpec::defaults());
}

}  // namespace

TEST(LineScorer, ScoresAndKeepsOrderAndKeys) {
  auto s = scorer();
  std::vector<std::string> lines = {
      R"({"zid": 1, "task": "binary", "reference": "yes", "completion": "<think>t</think><answer>yes</answer>"})",
      R"({"task": "binary", "reference": "yes", "completion": "no"})",
      "{not json",
      R"({"task": "astrology", "reference": 1, "completion": "x"})",
      R"({"task": "binary", "completion": "x"})",
      R"([1, 2])",
      ""};
  auto out = s.score_lines(lines, 2);
  ASSERT_EQ(out.size(), lines.size());
  auto first = nlohmann::ordered_json::parse(out[0]);
  EXPECT_EQ(first.begin().key(), "zid");  // input key order kept
  EXPECT_DOUBLE_EQ(first["reward"].get<double>(), 1.1);
  EXPECT_TRUE(first["correct"].get<bool>());
  EXPECT_EQ(first["reasons"]["answer"], "echo");
  auto second = nlohmann::json::parse(out[1]);
  EXPECT_FALSE(second["correct"].get<bool>());
  EXPECT_DOUBLE_EQ(second["reward"].get<double>(), 0.0);
  auto third = nlohmann::json::parse(out[2]);
  EXPECT_EQ(third["raw"], "{not json");
  EXPECT_EQ(third["error"].get<std::string>().rfind("line 3: not valid JSON: parse error", 0), 0u);
  auto fourth = nlohmann::json::parse(out[3]);
  EXPECT_EQ(fourth["error"], "line 4: task: unknown task 'astrology' (known: binary)");
  EXPECT_FALSE(fourth.contains("reward"));
  EXPECT_EQ(nlohmann::json::parse(out[4])["error"], "line 5: reference: missing");
  EXPECT_EQ(nlohmann::json::parse(out[5])["error"], "line 6: expected a JSON object");
  EXPECT_EQ(nlohmann::json::parse(out[6])["error"].get<std::string>().substr(0, 25), "line 7: not valid JSON: p");
}

TEST(LineScorer, InvalidUtf8NeverThrows) {
  auto s = scorer();
  std::string bad = "{\"task\": \"binary\", \"reference\": \"yes\", \"completion\": \"\xff\xfe\"}";
  auto out = s.score_lines({bad}, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(nlohmann::json::parse(out[0]).contains("error"));
}

TEST(LineScorer, SplitLinesDropsOnlyTheFinalEmptyLine) {
  EXPECT_EQ(retort::split_lines("a\n\nb\n").size(), 3u);
  EXPECT_EQ(retort::split_lines("a\r\nb").back(), "b");
  EXPECT_TRUE(retort::split_lines("").empty());
}
