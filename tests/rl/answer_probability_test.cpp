// The binary ROC-AUC that evaluate_policy reports (issue 8): P(yes) read at the policy's answer position
// (rl/answer_probability.h). Checked: where the answer position is (hand-built token lists, tool turns
// skipped); the two-way normalisation (hand values, no overflow); yes_probabilities against the softmax
// of the policy's own logits at that position, computed here unpadded and without the fused kernel; and
// roc_auc over such probabilities against a pairwise count in Python (ties counted half).
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "../support/run_command.h"
#include "core/eval_metrics.h"
#include "model/policy.h"
#include "model/tiny_config.h"
#include "model/tokenizer.h"
#include "rl/answer_probability.h"
#include "rl/prompting.h"

namespace retort::rl {
namespace {

const model::Tokenizer& tokenizer() {
  static const model::Tokenizer t = model::Tokenizer::tiny_default();
  return t;
}

TEST(AnswerProbability, AnswerPositionIsAfterTheLastSampledAnswerTag) {
  const int64_t tag = 9;
  EXPECT_EQ(answer_position({1, 2, 9, 4, 5}, {}, tag), std::optional<size_t>(3));
  EXPECT_EQ(answer_position({9, 2, 9, 4}, {1, 1, 1, 1}, tag), std::optional<size_t>(3));
  // A tag inside an appended tool turn (mask 0) is not the policy's answer.
  EXPECT_EQ(answer_position({1, 9, 2, 9}, {1, 1, 1, 0}, tag), std::optional<size_t>(2));
  EXPECT_FALSE(answer_position({1, 2, 3}, {}, tag).has_value());
  EXPECT_FALSE(answer_position({}, {}, tag).has_value());
}

TEST(AnswerProbability, TwoWayProbabilityNormalisesTheTwoAnswers) {
  EXPECT_NEAR(two_way_probability(std::log(0.3), std::log(0.1)), 0.75, 1e-12);
  EXPECT_NEAR(two_way_probability(std::log(0.02), std::log(0.18)), 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(two_way_probability(-2.0, -2.0), 0.5);
  EXPECT_NEAR(two_way_probability(0.0, -1000.0), 1.0, 1e-15);
  EXPECT_GE(two_way_probability(-1000.0, 0.0), 0.0);
  EXPECT_LT(two_way_probability(-1000.0, 0.0), 1e-300);
  EXPECT_FALSE(std::isnan(two_way_probability(-1e308, 0.0)));
}

TEST(AnswerProbability, YesProbabilityIsTheSoftmaxOfYesAndNoAtTheAnswerPosition) {
  PromptBuilder prompts(tokenizer(), "You are a chemist.", 0);
  Example e;
  e.id = "b1";
  e.task = "bbbp";
  e.prompt = "SMILES: CCO\nDoes this molecule cross the blood-brain barrier?";
  e.smiles = "CCO";
  e.answer = true;
  PromptInputs prompt = prompts.build(e);
  auto ids_of = [](const std::string& text) {
    std::vector<int64_t> ids;
    for (int32_t id : tokenizer().encode(text)) ids.push_back(id);
    return ids;
  };
  const auto yes = ids_of("yes"), no = ids_of("no");
  ASSERT_EQ(yes.size(), 1u);  // the reference below reads one next-token distribution
  ASSERT_EQ(no.size(), 1u);

  std::vector<Rollout> rollouts(3);
  rollouts[0].tokens = ids_of("<think>Small and lipophilic.</think>\n<answer>no</answer><|im_end|>");
  rollouts[1].tokens = ids_of("<think>It is an alcohol with two carbons and one oxygen.</think>\n<answer>yes</answer>");
  rollouts[2].tokens = ids_of("<think>no answer here</think>");
  for (auto& r : rollouts) {
    r.prompt_ids = prompt.ids;
    r.token_mask.assign(r.tokens.size(), 1.0f);
  }
  model::Policy policy = model::Policy::create(model::tiny_config(tokenizer(), false), 11);
  auto p = yes_probabilities(policy, prompts, rollouts, /*micro_batch_size=*/2);  // rows padded together
  ASSERT_EQ(p.size(), 3u);
  ASSERT_TRUE(p[0] && p[1]);
  EXPECT_FALSE(p[2].has_value());

  at::NoGradGuard no_grad;
  const int64_t tag = tokenizer().require_token_id("<answer>");
  for (int i = 0; i < 2; ++i) {
    std::vector<int64_t> prefix = prompt.ids;
    const auto& t = rollouts[i].tokens;
    prefix.insert(prefix.end(), t.begin(), std::find(t.begin(), t.end(), tag) + 1);
    at::Tensor ids = at::tensor(prefix, at::kLong).unsqueeze(0);              // (1, T)
    at::Tensor logits = policy.logits(ids).to(at::kDouble)[0][-1];            // (V,)
    at::Tensor probs = at::softmax(logits, -1);
    const double py = probs[yes[0]].item<double>(), pn = probs[no[0]].item<double>();
    EXPECT_NEAR(*p[i], py / (py + pn), 1e-5) << "rollout " << i;
  }
  // The two rollouts reason differently, so their probabilities differ (a ranking, not a threshold).
  EXPECT_NE(*p[0], *p[1]);
}

TEST(AnswerProbability, RocAucOfYesProbabilitiesMatchesAPairwiseCountInPython) {
  // 24 probabilities from logprob pairs: 5 distinct values, so ties between positives and negatives.
  std::vector<double> scores;
  std::vector<int> labels;
  for (int i = 0; i < 24; ++i) {
    scores.push_back(two_way_probability(-0.5 * (i % 5), -1.0));
    labels.push_back((i * 5 + i / 3) % 3 == 0 ? 1 : 0);
  }
  auto auc = roc_auc(scores, labels);
  ASSERT_TRUE(auc.has_value());
  std::string args;
  char buf[64];
  for (size_t i = 0; i < scores.size(); ++i) {
    std::snprintf(buf, sizeof buf, " %.17g:%d", scores[i], labels[i]);
    args += buf;
  }
  const std::string script =
      "import sys\n"
      "pairs = [(float(a), int(b)) for a, b in (x.split(':') for x in sys.argv[1:])]\n"
      "pos = [s for s, y in pairs if y == 1]; neg = [s for s, y in pairs if y == 0]\n"
      "won = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)\n"
      "print(repr(won / (len(pos) * len(neg))))\n";
  auto run = retort::testing::run_command(std::string(RETORT_PYTHON) + " -c \"" + script + "\"" + args);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NEAR(*auc, std::stod(run.output), 1e-12) << run.output;
  EXPECT_GT(*auc, 0.0);
  EXPECT_LT(*auc, 1.0);
}

}  // namespace
}  // namespace retort::rl
