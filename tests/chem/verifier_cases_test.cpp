// The labelled verifier cases (tests/data/verifier_cases.jsonl, hand-labelled: equivalent notations
// that must pass, hedges and multiple answers that must fail) run through `retort score`'s code path
// (LineScorer with the chem and med verifiers). Prints per-task accuracy, false positives and false
// negatives as the markdown table quoted in chem/verifiers/README.md and med/README.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "chem/verifiers/verifiers.h"
#include "core/line_scorer.h"
#include "med/verifiers.h"

namespace {

retort::LineScorer make_scorer() {
  retort::VerifierRegistry registry;
  retort::chem::register_verifiers(registry);
  retort::med::register_verifiers(registry);
  return retort::LineScorer(registry, retort::RewardSpec::defaults());
}

}  // namespace

TEST(VerifierCases, LabelledFileThroughTheScorePath) {
  std::ifstream in(std::string(RETORT_SOURCE_DIR) + "/tests/data/verifier_cases.jsonl");
  ASSERT_TRUE(in);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  ASSERT_GE(lines.size(), 150u);
  auto scorer = make_scorer();
  auto out = scorer.score_lines(lines, 2);
  ASSERT_EQ(out.size(), lines.size());
  struct Tally {
    int n = 0, right = 0, false_positive = 0, false_negative = 0;
  };
  std::map<std::string, Tally> by_task;
  Tally all;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto input = nlohmann::json::parse(lines[i]);
    auto result = nlohmann::json::parse(out[i]);
    ASSERT_FALSE(result.contains("error")) << input["id"] << ": " << result["error"];
    EXPECT_EQ(result["id"], input["id"]);  // order kept
    bool expected = input["expected_correct"].get<bool>(), got = result["correct"].get<bool>();
    EXPECT_EQ(got, expected) << input["id"] << " (" << input["task"] << ", " << input["note"] << "): "
                             << result["reasons"]["answer"];
    for (Tally* t : {&by_task[input["task"].get<std::string>()], &all}) {
      ++t->n;
      t->right += got == expected;
      t->false_positive += got && !expected;
      t->false_negative += !got && expected;
    }
  }
  std::printf("| task | cases | accuracy | false positives | false negatives |\n|---|---|---|---|---|\n");
  for (const auto& [task, t] : by_task)
    std::printf("| %s | %d | %.3f | %d | %d |\n", task.c_str(), t.n, double(t.right) / t.n, t.false_positive, t.false_negative);
  std::printf("| all | %d | %.3f | %d | %d |\n", all.n, double(all.right) / all.n, all.false_positive, all.false_negative);
}

TEST(VerifierCases, BadReferencesAndUnknownTasksBecomeErrorLines) {
  auto scorer = make_scorer();
  auto out = scorer.score_lines(
      {R"({"task": "mol_equal", "reference": "C1CC", "completion": "<answer>CCO</answer>"})",
       R"({"task": "numeric", "reference": {"val": 1}, "completion": "<answer>1</answer>"})",
       R"({"task": "functional_group", "reference": {"formula": "C2H6O", "groups": ["unicorn"]}, "completion": "<answer>CCO</answer>"})",
       R"({"task": "esol", "reference": -2, "smiles": "C1CC", "completion": "<answer>-2</answer>"})",
       R"({"task": "mcq", "reference": "Z", "options": {"A": "x", "B": "y"}, "completion": "<answer>A</answer>"})",
       R"({"task": "chess", "reference": 1, "completion": "x"})"},
      1);
  const char* expected_prefix[] = {
      "line 1: reference: SMILES 'C1CC' does not parse",
      "line 2: reference: need a number or {\"value\", \"tolerance\"|\"rel_tolerance\"}",
      "line 3: reference.groups: ",
      "line 4: smiles: SMILES 'C1CC' does not parse",
      "line 5: reference: need one option letter A-J",
      "line 6: task: unknown task 'chess'"};
  for (size_t i = 0; i < out.size(); ++i) {
    auto j = nlohmann::json::parse(out[i]);
    ASSERT_TRUE(j.contains("error")) << out[i];
    EXPECT_EQ(j["error"].get<std::string>().rfind(expected_prefix[i], 0), 0u) << j["error"];
  }
}

TEST(VerifierCases, ClaimComponentsOnAPropertyAnswer) {
  auto scorer = make_scorer();
  // Caffeine, BBBP: true claims, a rule applied correctly, a conclusion that matches the answer.
  std::string good = R"({"task": "bbbp", "reference": 1, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "completion": "<think>Caffeine has two aromatic rings and no hydrogen bond donors. Its TPSA of 61.8 is below 90, so BBB penetration is likely. Therefore it crosses the blood-brain barrier.</think><answer>yes</answer>"})";
  // The same answer with false claims and a conclusion that contradicts it.
  std::string bad = R"({"task": "bbbp", "reference": 1, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "completion": "<think>Caffeine has three aromatic rings and 4 hydrogen bond donors. Its TPSA is above 90, so it will not penetrate the BBB. Therefore it does not cross the blood-brain barrier.</think><answer>yes</answer>"})";
  // No checkable claim: no claim components at all.
  std::string none = R"({"task": "bbbp", "reference": 1, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "completion": "<think>Hmm, this looks like a small molecule.</think><answer>yes</answer>"})";
  auto out = scorer.score_lines({good, bad, none}, 1);
  auto g = nlohmann::json::parse(out[0]), b = nlohmann::json::parse(out[1]), n = nlohmann::json::parse(out[2]);
  EXPECT_DOUBLE_EQ(g["components"]["structure"].get<double>(), 1.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(g["components"]["property_consistency"].get<double>(), 1.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(g["components"]["principle"].get<double>(), 1.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(g["components"]["logical_consistency"].get<double>(), 1.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(g["reward"].get<double>(), 1.0 + 0.1 + 4 * 0.125);
  // Counted for reports, never rewarded: 2 aromatic rings, 0 HBD, TPSA 61.8 (RDKit 61.82) all hold.
  EXPECT_DOUBLE_EQ(g["components"]["claims_checked"].get<double>(), 3.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(g["components"]["claims_held"].get<double>(), 3.0) << g["reasons"];
  EXPECT_DOUBLE_EQ(b["components"]["claims_checked"].get<double>(), 3.0) << b["reasons"];  // 3 rings, 4 HBD, TPSA > 90
  EXPECT_DOUBLE_EQ(b["components"]["claims_held"].get<double>(), 0.0) << b["reasons"];
  EXPECT_DOUBLE_EQ(b["components"]["structure"].get<double>(), 0.0) << b["reasons"];
  EXPECT_DOUBLE_EQ(b["components"]["property_consistency"].get<double>(), 0.0) << b["reasons"];
  EXPECT_DOUBLE_EQ(b["components"]["principle"].get<double>(), 0.0) << b["reasons"];
  EXPECT_DOUBLE_EQ(b["components"]["logical_consistency"].get<double>(), 0.0) << b["reasons"];
  EXPECT_TRUE(b["correct"].get<bool>());  // the verdict is on the final answer alone
  EXPECT_DOUBLE_EQ(b["reward"].get<double>(), 1.1);
  for (const char* c : {"structure", "property_consistency", "principle", "logical_consistency", "claims_checked"})
    EXPECT_FALSE(n["components"].contains(c)) << c;
  EXPECT_DOUBLE_EQ(n["reward"].get<double>(), 1.1);
}

TEST(VerifierCases, PerceptionComponentFromChecklistAnswersAndImageClaims) {
  auto scorer = make_scorer();
  auto out = scorer.score_lines(
      {R"({"task": "bbbp", "reference": 0, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "image": true, "perception_answers": {"rings": "2", "nitrogen_atoms": "three", "charged_atoms": 0}, "completion": "<think>x</think><answer>no</answer>"})",
       R"({"task": "bbbp", "reference": 0, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "image": true, "completion": "<think>The picture shows two rings and four nitrogen atoms and one oxygen atom.</think><answer>no</answer>"})"},
      1);
  auto a = nlohmann::json::parse(out[0]), b = nlohmann::json::parse(out[1]);
  EXPECT_NEAR(a["components"]["perception"].get<double>(), 2.0 / 3.0, 1e-12) << a["reasons"]["perception"];
  EXPECT_NEAR(b["components"]["perception"].get<double>(), 2.0 / 3.0, 1e-12) << b["reasons"]["perception"];
}
