// evaluate_policy: greedy rollouts over held-out examples, scored by the same verifiers as training;
// metrics the issue asks for per stage: accuracy, format rate, ROC-AUC and RMSE where they apply,
// within-tolerance rate, checkable claims per answer and their precision. Binary ROC-AUC ranks the
// examples by the policy's P(yes) at its answer position (rl/answer_probability.h): "roc_auc"; the
// AUC of the answers themselves (a stated probability, else 1/0: balanced accuracy) is "roc_auc_answers".
#include <cmath>

#include "core/eval_metrics.h"
#include "core/progress.h"
#include "rl/answer_probability.h"
#include "rl/rollout_batch.h"
#include "rl/trainer.h"

namespace retort::rl {

EvalResult evaluate_policy(const model::Policy& policy, const PromptBuilder& prompts, const LineScorer& scorer,
                           const std::vector<Example>& examples, int64_t max_new_tokens, int64_t batch_size,
                           const std::string& label) {
  RewardFunction reward = [&scorer](const Example& e, const std::string& c) { return scorer.score(e, c); };
  return evaluate_policy(policy, prompts, reward, examples, max_new_tokens, batch_size, label);
}

EvalResult evaluate_policy(const model::Policy& policy, const PromptBuilder& prompts, const RewardFunction& scorer,
                           const std::vector<Example>& examples, int64_t max_new_tokens, int64_t batch_size,
                           const std::string& label) {
  EvalResult result;
  double correct = 0, formatted = 0, claim_answers = 0, claim_precision_sum = 0, claims_checked = 0;
  std::vector<double> probabilities, yes_probabilities_seen, squared_errors;
  std::vector<int> labels;
  int64_t numeric = 0;
  ProgressBar bar(label, static_cast<int64_t>(examples.size()));
  rollout::SamplingParams greedy{0.0, 0, 1.0, 0.0};
  std::vector<std::vector<ToolCallRecord>> tool_calls;  // per example, with tools on
  for (size_t begin = 0; begin < examples.size(); begin += batch_size) {
    size_t end = std::min(examples.size(), begin + static_cast<size_t>(batch_size));
    std::vector<PromptInputs> inputs;
    for (size_t i = begin; i < end; ++i) inputs.push_back(prompts.build(examples[i]));
    auto rollouts = sample_rollouts(policy, prompts, inputs, greedy, max_new_tokens, /*seed=*/0);
    bool any_binary = false;
    for (size_t i = begin; i < end; ++i) any_binary = any_binary || examples[i].answer.is_boolean();
    std::vector<std::optional<double>> p_yes(rollouts.size());
    if (any_binary) p_yes = yes_probabilities(policy, prompts, rollouts, batch_size);
    for (size_t i = begin; i < end; ++i) {
      const Example& e = examples[i];
      const Rollout& r = rollouts[i - begin];
      Score s = scorer(e, r.completion);
      correct += s.correct;
      formatted += s.components.count("format") ? s.components.at("format") : 0.0;
      // Claims: the share of true claims among structure and property claims, when any were made.
      double claims = 0, held = 0;
      for (const char* c : {"structure", "property_consistency"})
        if (s.components.count(c)) claims += 1, held += s.components.at(c);
      if (claims > 0) claim_answers += 1, claim_precision_sum += held / claims;
      if (s.components.count("claims_checked")) claims_checked += s.components.at("claims_checked");
      if (e.answer.is_boolean()) {
        labels.push_back(e.answer.get<bool>() ? 1 : 0);
        // An unanswered binary question scores 0.5: neither side.
        probabilities.push_back(s.components.count("probability") ? s.components.at("probability") : 0.5);
        // No <answer> tag: P(yes) = 0.5 as well.
        yes_probabilities_seen.push_back(p_yes[i - begin].value_or(0.5));
      }
      if (e.answer.is_object() && e.answer.contains("value")) {
        ++numeric;
        if (s.components.count("abs_error")) squared_errors.push_back(std::pow(s.components.at("abs_error"), 2));
      }
      result.samples.push_back({{"id", e.id}, {"completion", r.completion}, {"reward", s.total},
                                {"correct", s.correct}, {"components", s.components}});
      if (e.answer.is_boolean() && p_yes[i - begin]) result.samples.back()["p_yes"] = *p_yes[i - begin];
      if (prompts.tool_settings().enabled) {  // issue 7: the whole episode and its calls
        result.samples.back()["transcript"] = r.transcript;
        tool_calls.push_back(r.tool_calls);
      }
    }
    bar.update(static_cast<int64_t>(end));
  }
  bar.finish();
  const double n = static_cast<double>(examples.size());
  result.metrics["accuracy"] = correct / n;
  if (prompts.tool_settings().enabled)
    for (const auto& [name, value] : tool_metrics(tool_calls)) result.metrics[name] = value;
  result.metrics["format_rate"] = formatted / n;
  result.metrics["claims_answer_rate"] = claim_answers / n;
  result.metrics["claim_precision"] = claim_answers > 0 ? claim_precision_sum / claim_answers : 0.0;
  result.metrics["claims_per_answer"] = claims_checked / n;  // checked structure + property claims
  if (!labels.empty()) {
    if (auto auc = roc_auc(yes_probabilities_seen, labels)) result.metrics["roc_auc"] = *auc;
    if (auto auc = roc_auc(probabilities, labels)) result.metrics["roc_auc_answers"] = *auc;
  }
  if (numeric > 0) {
    result.metrics["within_tolerance"] = correct / n;
    result.metrics["answered_rate"] = static_cast<double>(squared_errors.size()) / numeric;
    if (!squared_errors.empty()) {
      double sum = 0;
      for (double e : squared_errors) sum += e;
      result.metrics["rmse"] = std::sqrt(sum / squared_errors.size());  // over answered examples
    }
  }
  return result;
}

}  // namespace retort::rl
